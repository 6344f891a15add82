using System.Runtime.InteropServices;
using SharpSan.Config;
using SharpSan.Control;
using SharpSan.Daemon;
using SharpSan.Target;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Tools.Sharpsand;

/// <summary>sharpsand: the SharpSAN iSCSI target daemon. Argument parsing and start-up only.</summary>
internal static class Program
{
    private const string DefaultConfig = "/etc/target/saveconfig.json";

    private const string Usage = """
        usage: sharpsand [--config FILE | --demo | --ietd FILE [--portal IP:PORT]... [--import-to OUT]]
                         [--state-dir DIR] [--control-socket PATH] [--log-level debug|info|warning|error]

          (no option)      serve the saved configuration /etc/target/saveconfig.json (empty if absent)
          --config FILE    serve FILE, an LIO-format saveconfig.json (a missing file is an empty configuration)
          --demo           serve the built-in demo: a 1 GiB sparse fileio LUN, target
                           iqn.2026-11.io.sharpsan:demo on 127.0.0.1:3260, open to any initiator
          --ietd FILE      serve IET's ietd.conf FILE (with initiators.allow/initiators.deny next to it);
                           targetcli saveconfig then writes /etc/target/saveconfig.json
          --portal IP:PORT where the --ietd targets listen (repeatable; default 0.0.0.0:3260, as ietd)
          --import-to OUT  add the --ietd targets to the saveconfig.json OUT (created if absent) and exit;
                           "-" prints them as a saveconfig.json
          --state-dir DIR  where --demo keeps its disk image and saved configuration, and where every disk
                           keeps the persistent reservations an initiator registered with APTPL=1
                           (DIR/pr/aptpl_<wwn>, as LIO's /etc/target/pr) (default /var/lib/sharpsan)
          --control-socket PATH
                           the control API's Unix socket (default /run/sharpsan/control.sock;
                           targetcli and the other tools connect to it)
          --log-level L    log verbosity (default info)
        """;

    public static async Task<int> Main(string[] args)
    {
        SocketEngine.PreferInlineCompletions();
        string? configPath = null;
        bool demo = false;
        string? ietdPath = null;
        string? importTo = null;
        var portals = new List<string>();
        string stateDir = "/var/lib/sharpsan";
        string controlSocket = Environment.GetEnvironmentVariable("SHARPSAN_CONTROL_SOCKET") is { Length: > 0 } env
            ? env : ControlHttpServer.DefaultSocketPathForThisUser();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            try
            {
                switch (args[i])
                {
                    case "--config": configPath = Next(); break;
                    case "--demo": demo = true; break;
                    case "--ietd": ietdPath = Next(); break;
                    case "--import-to": importTo = Next(); break;
                    case "--portal":
                        var portal = Next();
                        if (!ConfigValidator.TryParsePortal(portal, out _))
                            throw new ArgumentException($"--portal \"{portal}\" is not IP:PORT (IPv6 in brackets)");
                        portals.Add(portal);
                        break;
                    case "--state-dir": stateDir = Next(); break;
                    case "--control-socket": controlSocket = Next(); break;
                    case "--log-level":
                        var level = Next();
                        Log.MinimumLevel = level switch
                        {
                            "debug" => LogLevel.Debug,
                            "info" => LogLevel.Info,
                            "warning" => LogLevel.Warning,
                            "error" => LogLevel.Error,
                            _ => throw new ArgumentException($"unknown log level \"{level}\""),
                        };
                        break;
                    case "-h":
                    case "--help":
                        Console.WriteLine(Usage);
                        return 0;
                    default:
                        throw new ArgumentException($"unknown argument \"{args[i]}\"");
                }
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine($"sharpsand: {ex.Message} (see --help)");
                return 2;
            }
        }
        if ((demo ? 1 : 0) + (configPath is null ? 0 : 1) + (ietdPath is null ? 0 : 1) > 1)
        {
            Console.Error.WriteLine("sharpsand: --demo, --config and --ietd exclude each other (see --help)");
            return 2;
        }
        if (ietdPath is null && (portals.Count > 0 || importTo is not null))
        {
            Console.Error.WriteLine("sharpsand: --portal and --import-to go with --ietd (see --help)");
            return 2;
        }
        if (ietdPath is not null && importTo is not null)
            return IetdCommand.Import(ietdPath, portals, importTo);

        // Signals are taken from here on, so a SIGTERM during start-up still ends in an orderly stop.
        var stop = new TaskCompletionSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });

        SanConfig config;
        try
        {
            config = demo ? LoadDemo(stateDir) : ietdPath is not null ? IetdCommand.Load(ietdPath, portals) : LoadConfig(configPath ?? DefaultConfig);
        }
        catch (ConfigException ex)
        {
            Console.Error.WriteLine($"sharpsand: {ex.Message}");
            if (!demo && ietdPath is null && LastGoodBackup.Find(Path.GetFullPath(configPath ?? DefaultConfig)) is { } backup)
                Console.Error.WriteLine($"sharpsand: the last good backup is {backup} (restore it with: targetcli restoreconfig {backup})");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"sharpsand: {ex.Message}");
            return 1;
        }

        TargetHost server;
        try
        {
            server = await TargetHost.StartAsync(config, new TargetOptions(), Path.GetFullPath(stateDir));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or InvalidOperationException)
        {
            Console.Error.WriteLine($"sharpsand: {ex.Message}");
            return 1;
        }

        // IET never writes ietd.conf back; a targetcli saveconfig under --ietd goes where LIO's does.
        var savePath = demo ? Path.Combine(Path.GetFullPath(stateDir), "saveconfig.json") : Path.GetFullPath(configPath ?? DefaultConfig);
        ControlHttpServer control;
        try
        {
            control = await ControlHttpServer.StartAsync(controlSocket, new TargetControlBackend(server, savePath), typeof(Program).Assembly.GetName().Version?.ToString() ?? "1.0");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"sharpsand: cannot open the control socket {controlSocket}: {ex.Message} (use --control-socket PATH)");
            await server.DisposeAsync();
            return 1;
        }
        Log.Info($"control API on {control.SocketPath}");

        if (demo)
        {
            Console.WriteLine($"sharpsand: demo target {DemoConfig.TargetName} on 127.0.0.1:3260, LUN 0 = {config.StorageObjects[0].Dev} (1 GiB, sparse)");
            Console.WriteLine($"  discover:  iscsi-ls iscsi://127.0.0.1/");
            Console.WriteLine($"  inquire:   iscsi-inq iscsi://127.0.0.1/{DemoConfig.TargetName}/0");
            Console.WriteLine($"  open-iscsi: iscsiadm -m discovery -t sendtargets -p 127.0.0.1 && iscsiadm -m node -T {DemoConfig.TargetName} -p 127.0.0.1 --login");
            Console.WriteLine("  stop with Ctrl-C");
        }
        Log.Info($"serving {config.Targets.Count} target(s), {config.StorageObjects.Count} backstore(s)");

        await stop.Task;
        Log.Info("stopping: closing portals, finishing in-flight commands, flushing backstores");
        await control.DisposeAsync();
        await server.DisposeAsync();
        Log.Info("stopped");
        return 0;
    }

    private static SanConfig LoadDemo(string stateDir)
    {
        Directory.CreateDirectory(stateDir);
        return DemoConfig.Create(Path.GetFullPath(stateDir));
    }

    private static SanConfig LoadConfig(string path)
    {
        if (!File.Exists(path))
        {
            Log.Info($"{path} does not exist: starting with an empty configuration");
            return new SanConfig();
        }
        var config = SaveConfigReader.Load(path);
        Log.Info($"loaded {path}");
        return config;
    }
}
