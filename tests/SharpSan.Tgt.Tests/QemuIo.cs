using System.Diagnostics;
using System.Text;

namespace SharpSan.Tgt.Tests;

/// <summary>
/// qemu-io (libiscsi inside QEMU) kept open on one LUN and fed commands one at a time, each waited
/// for by its own output: the session stays logged in between commands, with no timing involved.
/// </summary>
internal sealed class QemuIo : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly SemaphoreSlim _changed = new(0);

    private QemuIo(Process process)
    {
        _process = process;
    }

    public static QemuIo Start(string url)
    {
        var psi = new ProcessStartInfo("qemu-io") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", "raw", url }) psi.ArgumentList.Add(a);
        var q = new QemuIo(Process.Start(psi)!);
        _ = q.PumpAsync(q._process.StandardOutput);
        _ = q.PumpAsync(q._process.StandardError);
        return q;
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>Sends one command and waits until <paramref name="expect"/> appears in the output after it.</summary>
    public async Task<string> RunAsync(string command, string expect)
    {
        var start = Output.Length;
        await _process.StandardInput.WriteLineAsync(command);
        await _process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (true)
        {
            var text = Output[start..];
            if (text.Contains(expect, StringComparison.Ordinal)) return text;
            if (_process.HasExited) throw new InvalidOperationException($"qemu-io exited: {Output}");
            await _changed.WaitAsync(timeout.Token);
        }
    }

    private async Task PumpAsync(StreamReader reader)
    {
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
        {
            lock (_output) _output.Append(buffer, 0, n);
            _changed.Release();
        }
        _changed.Release();
    }

    public async Task<int> QuitAsync()
    {
        await _process.StandardInput.WriteLineAsync("quit");
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
