using System.Net;
using System.Net.Sockets;
using SharpSan.Config;
using SharpSan.Daemon;
using SharpSan.Target;

namespace SharpSan.Initiator.Fuse.Tests;

/// <summary>Our own target in-process on a free loopback port with one fileio LUN (as in SharpSan.Initiator.Tests).</summary>
internal sealed class TargetHarness : IAsyncDisposable
{
    public const string Target = "iqn.2025-01.org.sharpsan:fuse";
    public const string Initiator = "iqn.2025-01.org.sharpsan:fuse-test";

    private TargetHarness(TargetHost server, int port)
    {
        Server = server;
        Port = port;
    }

    public TargetHost Server { get; }
    public int Port { get; }
    public IPEndPoint Portal => new(IPAddress.Loopback, Port);

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    public static async Task<TargetHarness> StartFileIoAsync(string file, ulong size)
    {
        int port = FreePort();
        var config = new SanConfig();
        config.StorageObjects.Add(new StorageObjectConfig { Plugin = "fileio", Name = "fuse1", Dev = file, Size = size, Wwn = "6a0b1c2d-0000-4000-8000-0000000000f1" });
        var t = new TargetConfig { Wwn = Target };
        var tpg = new TpgConfig { Tag = 1, GenerateNodeAcls = true, DemoModeWriteProtect = false };
        tpg.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = port });
        tpg.Luns.Add(new LunConfig { Index = 0, StorageObject = config.StorageObjects[0].Path });
        t.Tpgs.Add(tpg);
        config.Targets.Add(t);
        var server = await TargetHost.StartAsync(config, new TargetOptions());
        return new TargetHarness(server, port);
    }

    public Task<IscsiSession> LoginAsync()
        => IscsiSession.LoginAsync(Portal, Target, new InitiatorOptions { InitiatorName = Initiator, LoginTimeout = TimeSpan.FromSeconds(20) }, CancellationToken.None);

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
