using SharpSan.Protocol;
using System.Net;
using SharpSan.Config;
using SharpSan.Daemon;
using SharpSan.Initiator;
using SharpSan.Target;

namespace SharpSan.Testing;

/// <summary>
/// Our own target in-process (<see cref="TargetHost"/>) on a free loopback port, from a config built in
/// code (<see cref="TargetSetup"/>, then the test's changes), stopped on dispose.
/// </summary>
public sealed class TargetHarness : IAsyncDisposable
{
    /// <summary>The default setup's target and initiator.</summary>
    public const string Target1 = TargetSetup.DefaultTargetName;
    public const string Initiator = TargetSetup.DefaultInitiatorName;

    private TargetHarness(TargetHost server, SanConfig config, TargetSetup setup, TargetOptions options, int port)
    {
        Server = server;
        Config = config;
        Setup = setup;
        Options = options;
        Port = port;
    }

    public TargetHost Server { get; private set; }
    public SanConfig Config { get; }
    public TargetSetup Setup { get; }
    public TargetOptions Options { get; }

    /// <summary>Port of the first target's first portal.</summary>
    public int Port { get; }
    public IPEndPoint Portal => new(IPAddress.Loopback, Port);

    public static int FreePort(string address = "127.0.0.1") => Testing.FreePort.Next(address);

    /// <summary>The config of <paramref name="setup"/> (the defaults unless given) on 127.0.0.1:<paramref name="port"/>.</summary>
    public static SanConfig BasicConfig(int port, TargetSetup? setup = null)
    {
        setup ??= new TargetSetup();
        var config = new SanConfig();
        config.StorageObjects.Add(setup.File is null
            ? new StorageObjectConfig { Plugin = "ramdisk", Name = setup.StorageName, Size = setup.Size, Wwn = setup.Wwn }
            : new StorageObjectConfig { Plugin = "fileio", Name = setup.StorageName, Dev = setup.File, Size = setup.Size, Wwn = setup.Wwn });
        var t = AddTarget(config, setup.TargetName, port);
        t.Tpgs[0].Luns.Add(new LunConfig { Index = 0, StorageObject = config.StorageObjects[0].Path });
        return config;
    }

    /// <summary>Adds a target with one TPG (demo mode and writable unless <paramref name="demo"/> is false)
    /// and one portal, and no LUN.</summary>
    public static TargetConfig AddTarget(SanConfig config, string iqn, int port, bool demo = true, string ip = "127.0.0.1", ushort tag = 1)
    {
        var t = new TargetConfig { Wwn = iqn };
        var tpg = new TpgConfig { Tag = tag, GenerateNodeAcls = demo, DemoModeWriteProtect = false };
        tpg.Portals.Add(new PortalConfig { IpAddress = ip, Port = port });
        t.Tpgs.Add(tpg);
        config.Targets.Add(t);
        return t;
    }

    /// <summary>Starts <paramref name="setup"/>'s target on a free port after <paramref name="configure"/>
    /// (given the config and that port) has changed its config.</summary>
    public static async Task<TargetHarness> StartAsync(Action<SanConfig, int>? configure = null, TargetOptions? options = null, TargetSetup? setup = null)
    {
        setup ??= new TargetSetup();
        options ??= new TargetOptions();
        int port = FreePort();
        var config = BasicConfig(port, setup);
        configure?.Invoke(config, port);
        var server = await TargetHost.StartAsync(config, options);
        return new TargetHarness(server, config, setup, options, port);
    }

    public static Task<TargetHarness> StartAsync(Action<SanConfig> configure, TargetOptions? options = null, TargetSetup? setup = null)
        => StartAsync((config, _) => configure(config), options, setup);

    /// <summary>Stops the server and starts a new one on the same port, config and options.</summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        await Server.DisposeAsync();
        await Task.Delay(downtime);
        Server = await TargetHost.StartAsync(Config, Options);
    }

    /// <summary>Options for <paramref name="initiator"/> (<see cref="TargetSetup.DefaultInitiatorName"/> unless
    /// given), CHAP when given, a 20 s login timeout.</summary>
    public static InitiatorOptions LoginOptions(ChapCredentials? chap = null, string initiator = TargetSetup.DefaultInitiatorName) => new()
    {
        InitiatorName = initiator,
        Chap = chap,
        LoginTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>Logs in to the setup's target as the setup's initiator (unless <paramref name="options"/> say otherwise).</summary>
    public Task<IscsiSession> LoginAsync(InitiatorOptions? options = null)
        => IscsiSession.LoginAsync(Portal, Setup.TargetName, options ?? LoginOptions(initiator: Setup.InitiatorName), CancellationToken.None);

    /// <summary>Turns demo mode off and adds an ACL for <paramref name="initiator"/> (LUN 0 mapped) with
    /// CHAP credentials (and mutual ones when given); CHAP is required unless <paramref name="required"/> is false.</summary>
    public static Action<SanConfig> AclWithChap(string user, string secret, string mutualUser = "", string mutualSecret = "",
        bool required = true, string initiator = TargetSetup.DefaultInitiatorName)
        => cfg =>
        {
            var tpg = cfg.Targets[0].Tpgs[0];
            tpg.GenerateNodeAcls = false;
            tpg.Authentication = required;
            var acl = new NodeAclConfig
            {
                NodeWwn = initiator, ChapUserId = user, ChapPassword = secret,
                ChapMutualUserId = mutualUser, ChapMutualPassword = mutualSecret,
            };
            acl.MappedLuns.Add(new MappedLunConfig { Index = 0, TpgLun = 0 });
            tpg.NodeAcls.Add(acl);
        };

    /// <summary>CHAP for every initiator of the demo-mode TPG (TPG-level credentials, mutual ones when given).</summary>
    public static Action<SanConfig> DemoModeChap(string user, string secret, string mutualUser = "", string mutualSecret = "")
        => cfg =>
        {
            var tpg = cfg.Targets[0].Tpgs[0];
            tpg.Authentication = true;
            tpg.ChapUserId = user;
            tpg.ChapPassword = secret;
            tpg.ChapMutualUserId = mutualUser;
            tpg.ChapMutualPassword = mutualSecret;
        };

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
