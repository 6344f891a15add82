using System.Runtime.InteropServices;
using SharpSan.Iscsid.Client;
using SharpSan.Iscsid.Daemon;
using SharpSan.NodeRecords;

namespace SharpSan.Iscsid;

/// <summary>
/// The iscsid command line: "-f" runs the daemon in the foreground (systemd, tests); without it the
/// executable starts itself detached with "-f" and returns once the socket answers, as a forking
/// daemon would. SIGTERM and SIGINT log out of every session and exit 0.
/// </summary>
public static class IscsidProgram
{
    public const string Usage =
        "Usage: iscsid [OPTION]\n\n" +
        "  -f, --foreground        run iscsid in the foreground\n" +
        "  -v, --version           display version and exit\n" +
        "  -h, --help              display this help and exit\n\n" +
        "The socket is $SHARPSAN_ISCSI_ROOT/iscsid.sock when SHARPSAN_ISCSI_ROOT is set, else /run/sharpsan/iscsid.sock.\n";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var foreground = false;
        foreach (var a in args)
        {
            switch (a)
            {
                case "-f" or "--foreground":
                    foreground = true;
                    break;
                case "-v" or "--version":
                    stdout.Write("iscsid version " + OpenIscsi.Version + " (SharpSAN)\n");
                    return 0;
                case "-h" or "--help":
                    stdout.Write(Usage);
                    return 0;
                default:
                    stderr.Write($"iscsid: unknown option '{a}'\n" + Usage);
                    return 1;
            }
        }
        return foreground ? await RunForegroundAsync(stderr) : await StartBackgroundAsync(stderr);
    }

    private static async Task<int> StartBackgroundAsync(TextWriter stderr)
    {
        var self = Environment.ProcessPath;
        if (self is null)
        {
            stderr.Write("iscsid: cannot find the iscsid executable to start; run iscsid -f\n");
            return 1;
        }
        var client = new IscsidClient(new IscsidOptions().SocketPath);
        if (await client.IsListeningAsync())
        {
            stderr.Write($"iscsid: iscsid is already running on {client.SocketPath}\n");
            return 1;
        }
        DaemonLauncher.StartDetached(self, ["-f"]);
        if (await DaemonLauncher.WaitForSocketAsync(client, TimeSpan.FromSeconds(10)))
            return 0;
        stderr.Write($"iscsid: the daemon did not open {client.SocketPath} within 10 s\n");
        return 1;
    }

    /// <summary>
    /// Local block devices for logged-in LUNs (FUSE + loop), when this process can make them: root with
    /// /dev/fuse and /dev/loop-control. Their stable names live under RUNTIME/by-path, RUNTIME being
    /// $SHARPSAN_ISCSI_ROOT/run or /run/sharpsan/iscsi. SHARPSAN_ISCSID_NO_DEVICES=1 turns it off.
    /// </summary>
    private static ILunAttacher? CreateAttacher(TextWriter stderr)
    {
        if (Environment.GetEnvironmentVariable("SHARPSAN_ISCSID_NO_DEVICES") == "1") return null;
        if (Environment.UserName != "root" || !File.Exists("/dev/fuse") || !File.Exists("/dev/loop-control"))
        {
            stderr.Write("iscsid: no /dev/fuse or loop devices (or not root): sessions get no local block device\n");
            return null;
        }
        var root = Environment.GetEnvironmentVariable("SHARPSAN_ISCSI_ROOT");
        var runtime = string.IsNullOrEmpty(root) ? "/run/sharpsan/iscsi" : Path.Combine(root, "run");
        return new FuseLunAttacher(runtime, line => { lock (stderr) stderr.Write(line + "\n"); });
    }

    private static async Task<int> RunForegroundAsync(TextWriter stderr)
    {
        IscsidDaemon daemon;
        try
        {
            daemon = await IscsidDaemon.StartAsync(new IscsidOptions { Log = stderr, LunAttacher = CreateAttacher(stderr) });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            stderr.Write($"iscsid: {ex.Message}\n");
            return 1;
        }
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            _ = daemon.StopAsync();
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        // node.startup = automatic records log in as the daemon starts, in the background so the
        // socket answers meanwhile (iscsiadm started on demand must not wait for them).
        _ = Task.Run(async () =>
        {
            try
            {
                using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
                await daemon.LoginAutomaticAsync(NodeDatabase.FromEnvironment(), bound.Token);
            }
            catch (Exception ex)
            {
                lock (stderr) stderr.Write($"iscsid: automatic logins: {ex.Message}\n");
            }
        });
        try
        {
            await daemon.Completion;
            return 0;
        }
        catch (Exception ex)
        {
            stderr.Write($"iscsid: stopping failed: {ex.Message}\n");
            return 1;
        }
    }
}
