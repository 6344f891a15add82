using System.Net;
using System.Net.Sockets;
using SharpSan.Config;
using SharpSan.Daemon;

namespace SharpSan.Target.Tests;

/// <summary>Builds configurations in code and runs an <see cref="TargetHost"/> on free loopback ports.</summary>
internal sealed class TargetHarness : IAsyncDisposable
{
    public const string Target1 = "iqn.2025-01.org.sharpsan:t1";

    private TargetHarness(TargetHost server, SanConfig config, int port)
    {
        Server = server;
        Config = config;
        Port = port;
    }

    public TargetHost Server { get; }
    public SanConfig Config { get; }
    /// <summary>Port of the first target's first portal.</summary>
    public int Port { get; }

    public static int FreePort(string address = "127.0.0.1")
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Parse(address), 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    /// <summary>A config with one 4 MiB ramdisk "rd1" and target <see cref="Target1"/> (TPG 1, demo mode,
    /// writable, LUN 0) on 127.0.0.1:<paramref name="port"/>.</summary>
    public static SanConfig BasicConfig(int port)
    {
        var config = new SanConfig();
        config.StorageObjects.Add(new StorageObjectConfig { Plugin = "ramdisk", Name = "rd1", Size = 4 << 20, Wwn = "6a0b1c2d-0000-4000-8000-000000000001" });
        var t = AddTarget(config, Target1, port);
        t.Tpgs[0].Luns.Add(new LunConfig { Index = 0, StorageObject = "/backstores/ramdisk/rd1" });
        return config;
    }

    public static TargetConfig AddTarget(SanConfig config, string iqn, int port, bool demo = true, string ip = "127.0.0.1", ushort tag = 1)
    {
        var t = new TargetConfig { Wwn = iqn };
        var tpg = new TpgConfig { Tag = tag, GenerateNodeAcls = demo, DemoModeWriteProtect = false };
        tpg.Portals.Add(new PortalConfig { IpAddress = ip, Port = port });
        t.Tpgs.Add(tpg);
        config.Targets.Add(t);
        return t;
    }

    public static async Task<TargetHarness> StartAsync(Action<SanConfig, int>? configure = null, TargetOptions? options = null)
    {
        int port = FreePort();
        var config = BasicConfig(port);
        configure?.Invoke(config, port);
        var server = await TargetHost.StartAsync(config, options ?? new TargetOptions());
        return new TargetHarness(server, config, port);
    }

    public TestInitiator Connect(int? port = null, int receiveTimeoutMs = 15000) => new(port ?? Port, receiveTimeoutMs: receiveTimeoutMs);

    /// <summary>Connects and logs in to <see cref="Target1"/> in one PDU; asserts success.</summary>
    public TestInitiator LoginNormal(string initiator = TestInitiator.DefaultInitiator, ulong isid = 0x800000001234, params string[] operational)
    {
        var c = Connect();
        c.Isid = isid;
        var rsp = c.LoginNormal(Target1, initiator, operational);
        Assert.Equal(0, rsp.LoginStatus);
        Assert.True(rsp.Transit);
        Assert.Equal(3, rsp.NextStage);
        return c;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
