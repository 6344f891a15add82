using System.Net;
using System.Net.Sockets;
using SharpSan.Config;
using SharpSan.Daemon;
using SharpSan.Target;

namespace SharpSan.Initiator.Tests;

/// <summary>Runs our own target in-process on a free loopback port, from a config built in code.</summary>
internal sealed class TargetHarness : IAsyncDisposable
{
    public const string Target1 = "iqn.2025-01.org.sharpsan:t1";
    public const string Initiator = "iqn.2025-01.org.sharpsan:init-test";

    private TargetHarness(TargetHost server, SanConfig config, int port)
    {
        Server = server;
        Config = config;
        Port = port;
    }

    public TargetHost Server { get; private set; }
    public SanConfig Config { get; }
    public int Port { get; }
    public IPEndPoint Portal => new(IPAddress.Loopback, Port);

    public static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    /// <summary>One target (TPG 1, demo mode, writable) with LUN 0 on a ramdisk, or on a file when
    /// <paramref name="file"/> is given (data then survives a server restart).</summary>
    public static SanConfig BasicConfig(int port, ulong size = 16 << 20, string? file = null)
    {
        var config = new SanConfig();
        config.StorageObjects.Add(file is null
            ? new StorageObjectConfig { Plugin = "ramdisk", Name = "rd1", Size = size, Wwn = "6a0b1c2d-0000-4000-8000-000000000001" }
            : new StorageObjectConfig { Plugin = "fileio", Name = "rd1", Dev = file, Size = size, Wwn = "6a0b1c2d-0000-4000-8000-000000000001" });
        var t = new TargetConfig { Wwn = Target1 };
        var tpg = new TpgConfig { Tag = 1, GenerateNodeAcls = true, DemoModeWriteProtect = false };
        tpg.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = port });
        tpg.Luns.Add(new LunConfig { Index = 0, StorageObject = config.StorageObjects[0].Path });
        t.Tpgs.Add(tpg);
        config.Targets.Add(t);
        return config;
    }

    public static async Task<TargetHarness> StartAsync(Action<SanConfig>? configure = null, TargetOptions? options = null, string? file = null)
    {
        int port = FreePort();
        var config = BasicConfig(port, file: file);
        configure?.Invoke(config);
        var server = await TargetHost.StartAsync(config, options ?? new TargetOptions());
        return new TargetHarness(server, config, port);
    }

    /// <summary>Stops the server and starts a new one on the same port and config.</summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        await Server.DisposeAsync();
        await Task.Delay(downtime);
        Server = await TargetHost.StartAsync(Config, new TargetOptions());
    }

    public static InitiatorOptions Options(ChapOptions? chap = null) => new()
    {
        InitiatorName = Initiator,
        Chap = chap,
        LoginTimeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>ACL for <see cref="Initiator"/> with CHAP credentials, CHAP required.</summary>
    public static Action<SanConfig> AclWithChap(string user, string secret, string mutualUser = "", string mutualSecret = "")
        => cfg =>
        {
            var tpg = cfg.Targets[0].Tpgs[0];
            tpg.GenerateNodeAcls = false;
            tpg.Authentication = true;
            var acl = new NodeAclConfig
            {
                NodeWwn = Initiator, ChapUserId = user, ChapPassword = secret,
                ChapMutualUserId = mutualUser, ChapMutualPassword = mutualSecret,
            };
            acl.MappedLuns.Add(new MappedLunConfig { Index = 0, TpgLun = 0 });
            tpg.NodeAcls.Add(acl);
        };

    public Task<IscsiSession> LoginAsync(InitiatorOptions? options = null)
        => IscsiSession.LoginAsync(Portal, Target1, options ?? Options(), CancellationToken.None);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
