using System.Net;
using System.Net.Sockets;
using SharpSan.Config;
using SharpSan.Daemon;
using SharpSan.Target;

namespace SharpSan.Iscsid.Tests;

/// <summary>Our own target in-process on a free loopback port (after SharpSan.Initiator.Tests' harness).</summary>
internal sealed class TargetHarness : IAsyncDisposable
{
    public const string Target1 = "iqn.2025-01.org.sharpsan:iscsid-t1";
    public const string Initiator = "iqn.2025-01.org.sharpsan:iscsid-test";

    private TargetHarness(TargetHost server, int port)
    {
        Server = server;
        Port = port;
    }

    public TargetHost Server { get; }
    public int Port { get; }

    public static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    public static async Task<TargetHarness> StartAsync(Action<SanConfig>? configure = null)
    {
        var port = FreePort();
        var config = new SanConfig();
        config.StorageObjects.Add(new StorageObjectConfig { Plugin = "ramdisk", Name = "rd1", Size = 8 << 20, Wwn = "6a0b1c2d-0000-4000-8000-0000000000d1" });
        var t = new TargetConfig { Wwn = Target1 };
        var tpg = new TpgConfig { Tag = 1, GenerateNodeAcls = true, DemoModeWriteProtect = false };
        tpg.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = port });
        tpg.Luns.Add(new LunConfig { Index = 0, StorageObject = config.StorageObjects[0].Path });
        t.Tpgs.Add(tpg);
        config.Targets.Add(t);
        configure?.Invoke(config);
        var server = await TargetHost.StartAsync(config, new TargetOptions());
        return new TargetHarness(server, port);
    }

    /// <summary>An ACL for <see cref="Initiator"/> that requires CHAP with these credentials.</summary>
    public static Action<SanConfig> AclWithChap(string user, string secret) => cfg =>
    {
        var tpg = cfg.Targets[0].Tpgs[0];
        tpg.GenerateNodeAcls = false;
        tpg.Authentication = true;
        var acl = new NodeAclConfig { NodeWwn = Initiator, ChapUserId = user, ChapPassword = secret };
        acl.MappedLuns.Add(new MappedLunConfig { Index = 0, TpgLun = 0 });
        tpg.NodeAcls.Add(acl);
    };

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
