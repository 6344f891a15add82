using System.Diagnostics;

namespace SharpSan.Testing;

/// <summary>
/// Runs tgtd (the Linux SCSI target framework, the reference target) in the foreground on a loopback
/// portal with a control port of its own, configured with tgtadm. Stopped by PID: SIGTERM is ignored
/// while targets exist, so it is killed after a grace period.
/// </summary>
public sealed class TgtdProcess : IAsyncDisposable
{
    public const string TargetName = "iqn.2025-01.org.sharpsan:tgt-interop";
    private readonly Process _process;
    private readonly string _dir;

    private TgtdProcess(Process process, int port, int controlPort, string dir, string backingFile)
    {
        _process = process;
        Port = port;
        ControlPort = controlPort;
        _dir = dir;
        BackingFile = backingFile;
    }

    public int Port { get; }
    public int ControlPort { get; }
    public string BackingFile { get; }

    public static string? Path => new[] { "/usr/sbin/tgtd", "/usr/bin/tgtd", "/sbin/tgtd" }.FirstOrDefault(File.Exists);
    private static string Tgtadm => new[] { "/usr/sbin/tgtadm", "/usr/bin/tgtadm", "/sbin/tgtadm" }.First(File.Exists);

    public static async Task<TgtdProcess> StartAsync(int controlPort, long size = 32 << 20)
    {
        int port = FreePort.Next();
        var dir = Directory.CreateTempSubdirectory("sharpsan-tgt-").FullName;
        var file = System.IO.Path.Combine(dir, "lun1.img");
        await using (var f = File.Create(file)) f.SetLength(size);
        var psi = new ProcessStartInfo(Path!, $"-f -C {controlPort} --iscsi portal=127.0.0.1:{port}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var tgt = new TgtdProcess(process, port, controlPort, dir, file);
        try
        {
            // tgtd needs a moment to open its control socket: retry the first command.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (true)
            {
                var (code, output) = await tgt.AdmAsync($"--lld iscsi --op new --mode target --tid 1 -T {TargetName}");
                if (code == 0) break;
                if (DateTime.UtcNow > deadline || process.HasExited) throw new InvalidOperationException($"tgtadm could not create the target: {output}");
                await Task.Delay(200);
            }
            await tgt.AdmCheckedAsync($"--lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b {file}");
            await tgt.AdmCheckedAsync("--lld iscsi --op bind --mode target --tid 1 -I ALL");
            return tgt;
        }
        catch
        {
            await tgt.DisposeAsync();
            throw;
        }
    }

    private async Task AdmCheckedAsync(string args)
    {
        var (code, output) = await AdmAsync(args);
        if (code != 0) throw new InvalidOperationException($"tgtadm {args} failed ({code}): {output}");
    }

    private async Task<(int Code, string Output)> AdmAsync(string args)
    {
        var psi = new ProcessStartInfo(Tgtadm, $"-C {ControlPort} {args}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill();
            return (-1, "tgtadm timed out");
        }
        return (p.ExitCode, (await stdout) + (await stderr));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // SIGTERM first; tgtd ignores it while targets exist, so SIGKILL after a grace period.
                Process.Start("kill", $"-TERM {_process.Id}")?.WaitForExit(5000);
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill();
                    using var hard = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await _process.WaitForExitAsync(hard.Token);
                }
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_dir, recursive: true);
        }
    }
}
