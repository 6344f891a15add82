using SharpSan.Config;
using SharpSan.Control;
using SharpSan.Daemon;
using SharpSan.Target;
using SharpSan.Tgt.Tgtadm;

namespace SharpSan.Tgt.Tests;

/// <summary>
/// A real sharpsand in-process: the target (<see cref="TargetHost"/>) and its control API on a
/// socket in a folder of its own, tgt's portal on a free loopback port. tgtadm runs against it
/// through the real HTTP client, as the executable does.
/// </summary>
internal sealed class LiveSharpsand : IAsyncDisposable
{
    private readonly TargetHost _host;
    private readonly ControlHttpServer _control;

    private LiveSharpsand(TempDirectory dir, int port, TargetHost host, ControlHttpServer control)
    {
        Dir = dir;
        Port = port;
        _host = host;
        _control = control;
    }

    public TempDirectory Dir { get; }

    /// <summary>The port of tgt's portal (127.0.0.1).</summary>
    public int Port { get; }

    public string Socket => _control.SocketPath;

    public string SaveConfigPath => Dir.File("saveconfig.json");

    public static async Task<LiveSharpsand> StartAsync(SanConfig? initial = null)
    {
        var dir = new TempDirectory(prefix: "sharpsan-tgt-");
        try
        {
            var config = initial ?? new SanConfig();
            var port = FreePort.Next();
            if (config.Tgt.Portals.Count == 0) config.Tgt.Portals.Add($"127.0.0.1:{port}");
            ConfigValidator.Validate(config);
            var host = await TargetHost.StartAsync(config, new TargetOptions());
            try
            {
                var control = await ControlHttpServer.StartAsync(dir.File("control.sock"), new TargetControlBackend(host, dir.File("saveconfig.json")), "test");
                return new LiveSharpsand(dir, port, host, control);
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    public ControlHttpClient Client() => new(Socket);

    /// <summary>Runs tgtadm with <paramref name="args"/> (as typed after "tgtadm").</summary>
    public async Task<ToolRun> TgtadmAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await TgtadmMain.RunAsync(args, p => new ControlHttpClient(p), stdout, stderr, Socket);
        return new ToolRun(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs tgtadm and fails the test unless it exits 0; returns its output.</summary>
    public async Task<string> TgtadmOkAsync(params string[] args)
    {
        var run = await TgtadmAsync(args);
        Assert.True(run.ExitCode == 0, $"tgtadm {string.Join(' ', args)}: {run}");
        return run.Stdout;
    }

    /// <summary>Runs tgt-admin with <paramref name="args"/>.</summary>
    public async Task<ToolRun> TgtAdminAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Admin.TgtAdminMain.RunAsync(args, p => new ControlHttpClient(p), stdout, stderr, Socket);
        return new ToolRun(code, stdout.ToString(), stderr.ToString());
    }

    public async Task<SanConfig> ConfigAsync()
    {
        using var client = Client();
        return (await client.GetConfigAsync()).Config;
    }

    public async ValueTask DisposeAsync()
    {
        await _control.DisposeAsync();
        await _host.DisposeAsync();
        Dir.Dispose();
    }
}
