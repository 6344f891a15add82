using System.Net.Sockets;
using SharpSan.Config;
using SharpSan.Control;

namespace SharpSan.Control.Tests;

/// <summary>
/// One <see cref="ControlHttpServer"/> over a <see cref="FakeControlBackend"/> on a socket in a
/// temporary folder, a <see cref="ControlHttpClient"/> for it, and a plain <see cref="HttpClient"/>
/// on the same socket for looking at the wire (status codes, headers, JSON).
/// </summary>
internal sealed class ControlServerFixture : IAsyncDisposable
{
    public const string ProductVersion = "9.8.7";

    private ControlServerFixture(TempDirectory dir, string socketPath, FakeControlBackend backend, ControlHttpServer server)
    {
        Dir = dir;
        SocketPath = socketPath;
        Backend = backend;
        Server = server;
        Client = new ControlHttpClient(socketPath, TimeSpan.FromSeconds(30));
        Http = RawHttp(socketPath);
    }

    public TempDirectory Dir { get; }
    public string SocketPath { get; }
    public FakeControlBackend Backend { get; }
    public ControlHttpServer Server { get; }
    public ControlHttpClient Client { get; }
    public HttpClient Http { get; }

    /// <summary>Starts a server whose socket is <paramref name="socketName"/> under a fresh temp folder
    /// (<paramref name="prepare"/> runs first, given the socket path).</summary>
    public static async Task<ControlServerFixture> StartAsync(SanConfig? initial = null, string socketName = "control.sock", Action<string>? prepare = null)
    {
        var dir = new TempDirectory(prefix: "sharpsan-control-");
        try
        {
            var path = dir.File(socketName);
            prepare?.Invoke(path);
            var backend = new FakeControlBackend(initial ?? SampleConfig());
            var server = await ControlHttpServer.StartAsync(path, backend, ProductVersion);
            return new ControlServerFixture(dir, path, backend, server);
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>A small valid tree: one ramdisk, one target with one portal and one LUN.</summary>
    public static SanConfig SampleConfig()
    {
        var config = new SanConfig();
        config.StorageObjects.Add(new StorageObjectConfig { Plugin = "ramdisk", Name = "rd1", Size = 1 << 20, Wwn = "6a0b1c2d-0000-4000-8000-000000000001" });
        var tpg = new TpgConfig { Tag = 1, GenerateNodeAcls = true };
        tpg.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = 3260 });
        tpg.Luns.Add(new LunConfig { Index = 0, StorageObject = "/backstores/ramdisk/rd1" });
        var target = new TargetConfig { Wwn = "iqn.2026-11.io.sharpsan.test:control" };
        target.Tpgs.Add(tpg);
        config.Targets.Add(target);
        return config;
    }

    /// <summary>An HttpClient that talks HTTP/1.1 on the Unix socket at <paramref name="socketPath"/>.</summary>
    public static HttpClient RawHttp(string socketPath) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = new Uri("http://sharpsand/"),
        Timeout = TimeSpan.FromSeconds(30),
    };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Client.Dispose();
        await Server.DisposeAsync();
        Dir.Dispose();
    }
}
