using System.Diagnostics;

namespace SharpSan.Tgt.Tests;

/// <summary>
/// Debian's tgtd (the reference) with no target, on a loopback portal and a control port of its own,
/// driven by its own tgtadm run as "tgtadm" (so glibc's messages carry the same program name as ours).
/// Stopped by killing it: tgtd ignores SIGTERM while it has targets.
/// </summary>
internal sealed class RealTgtd : IAsyncDisposable
{
    private readonly Process _process;

    private RealTgtd(Process process, int port, int controlPort)
    {
        _process = process;
        Port = port;
        ControlPort = controlPort;
    }

    public int Port { get; }
    public int ControlPort { get; }

    public static string? Tgtadm => new[] { "/usr/sbin/tgtadm", "/usr/bin/tgtadm", "/sbin/tgtadm" }.FirstOrDefault(File.Exists);

    public static async Task<RealTgtd> StartAsync()
    {
        var port = FreePort.Next();
        // tgtd's control socket is /var/run/tgtd/socket.N: pick an N nobody uses.
        int controlPort;
        do controlPort = Random.Shared.Next(20000, 30000);
        while (File.Exists($"/var/run/tgtd/socket.{controlPort}"));
        var psi = new ProcessStartInfo(TgtdProcess.Path!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-f", "-C", $"{controlPort}", "--iscsi", $"portal=127.0.0.1:{port}" }) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var tgtd = new RealTgtd(process, port, controlPort);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (tgtd.Run("--op", "show", "--mode", "sys").ExitCode != 0)
        {
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                await tgtd.DisposeAsync();
                throw new InvalidOperationException("tgtd did not open its control socket");
            }
            await Task.Delay(100);
        }
        return tgtd;
    }

    /// <summary>Debian's tgtadm with -C PORT, then <paramref name="args"/>.</summary>
    public ToolRun Run(params string[] args)
    {
        var result = Tool.Run("bash", new[] { "-c", $"exec -a tgtadm {Tgtadm} -C {ControlPort} \"$@\"", "tgtadm" }.Concat(args), TimeSpan.FromSeconds(30));
        return new ToolRun(result.ExitCode, result.Stdout, result.Stderr);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
