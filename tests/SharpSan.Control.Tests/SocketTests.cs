using System.Net.Sockets;
using SharpSan.Control;

namespace SharpSan.Control.Tests;

/// <summary>The control socket: root-only file modes, a stale socket file replaced, removed on stop,
/// and the client's one-line error when nothing listens.</summary>
public sealed class SocketTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    [Fact]
    public async Task The_socket_is_owner_read_write_only()
    {
        await using var f = await ControlServerFixture.StartAsync();

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(f.SocketPath));
        Assert.Equal(f.SocketPath, f.Server.SocketPath);
    }

    [Fact]
    public async Task A_missing_socket_directory_is_created_owner_only()
    {
        await using var f = await ControlServerFixture.StartAsync(socketName: "run/sharpsan/control.sock");

        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(Path.GetDirectoryName(f.SocketPath)!));
        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(f.SocketPath));
        Assert.Equal(1, (await f.Client.GetConfigAsync()).Generation);
    }

    [Fact]
    public async Task A_stale_socket_file_of_a_previous_run_is_replaced()
    {
        await using var f = await ControlServerFixture.StartAsync(prepare: BindAndAbandon);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(f.SocketPath));
        Assert.Equal(1, (await f.Client.GetConfigAsync()).Generation);
    }

    [Fact]
    public async Task The_socket_file_goes_when_the_server_stops()
    {
        var f = await ControlServerFixture.StartAsync();
        var path = f.SocketPath;
        try
        {
            Assert.True(File.Exists(path));
            await f.Server.DisposeAsync();
            Assert.False(File.Exists(path));
        }
        finally
        {
            await f.DisposeAsync();
        }
    }

    [Fact]
    public async Task No_socket_file_is_one_unavailable_line_naming_the_socket()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-control-");
        var path = dir.File("control.sock");
        using var client = new ControlHttpClient(path, TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsAsync<ControlException>(() => client.GetConfigAsync());

        AssertOneUnavailableLine(ex, path);
    }

    [Fact]
    public async Task A_socket_file_nobody_listens_on_is_one_unavailable_line()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-control-");
        var path = dir.File("control.sock");
        BindAndAbandon(path);
        using var client = new ControlHttpClient(path, TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsAsync<ControlException>(() => client.PutConfigAsync(ControlServerFixture.SampleConfig(), 1));

        AssertOneUnavailableLine(ex, path);
    }

    private static void AssertOneUnavailableLine(ControlException ex, string path)
    {
        Assert.Equal(ControlErrorKind.Unavailable, ex.Kind);
        Assert.StartsWith($"cannot reach sharpsand at {path}: ", ex.Message);
        Assert.EndsWith("(is sharpsand running, and are you root?)", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.DoesNotContain('\r', ex.Message);
    }

    /// <summary>Leaves a socket file nobody listens on, as a daemon killed with SIGKILL does. (.NET
    /// unlinks the file of a socket it bound when that socket is disposed, so the file is bound under
    /// another name and renamed into place first.)</summary>
    private static void BindAndAbandon(string path)
    {
        var bound = path + ".bound";
        using (var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            s.Bind(new UnixDomainSocketEndPoint(bound));
            s.Listen();
            File.Move(bound, path);
        }
        Assert.True(File.Exists(path));
        Assert.False(File.Exists(bound));
    }
}
