using SharpSan.Config;
using SharpSan.Control;
using SharpSan.Protocol;

namespace SharpSan.Interop.Tests;

/// <summary>The control API on a live daemon: whole-tree changes applied live and atomically, with
/// their effects seen by connected clients.</summary>
public sealed class ControlApiTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpsan-control-").FullName;
    private readonly int _port = FreePort.Next();
    private readonly TargetProcess _target;
    private readonly ControlHttpClient _client;

    public ControlApiTests()
    {
        _target = TargetProcess.Start(TargetFixture.BuildConfig(_dir, _port), _dir, _port);
        _client = new ControlHttpClient(_target.ControlSocket, TimeSpan.FromSeconds(60));
    }

    public void Dispose()
    {
        _client.Dispose();
        _target.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void Control_socket_is_owner_only()
    {
        var mode = File.GetUnixFileMode(_target.ControlSocket);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }

    [Fact]
    public async Task A_new_portal_listens_at_once_and_a_removed_one_closes()
    {
        var snap = await _client.GetConfigAsync();
        int extra = FreePort.Next();
        snap.Config.Targets.Single(t => t.Wwn == TargetFixture.Open).Tpgs[0].Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = extra });
        var generation = await _client.PutConfigAsync(snap.Config, snap.Generation);
        Assert.Equal(snap.Generation + 1, generation);
        var r = Tool.Run("iscsi-ls", $"iscsi://127.0.0.1:{extra}/");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"127.0.0.1:{extra},1", r.Stdout);

        var again = await _client.GetConfigAsync();
        again.Config.Targets.Single(t => t.Wwn == TargetFixture.Open).Tpgs[0].Portals.RemoveAll(p => p.Port == extra);
        await _client.PutConfigAsync(again.Config, again.Generation);
        Assert.NotEqual(0, Tool.Run("iscsi-ls", $"iscsi://127.0.0.1:{extra}/").ExitCode);
    }

    [Fact]
    public async Task A_refused_tree_changes_nothing_and_says_why()
    {
        var snap = await _client.GetConfigAsync();
        snap.Config.Targets[0].Tpgs[0].Luns.Add(new LunConfig { Index = 9, StorageObject = "/backstores/fileio/absent" });
        var ex = await Assert.ThrowsAsync<ControlException>(() => _client.PutConfigAsync(snap.Config, snap.Generation));
        Assert.Equal(ControlErrorKind.Invalid, ex.Kind);
        Assert.Contains("luns", ex.Message);
        Assert.Contains("/backstores/fileio/absent", ex.Message);
        var after = await _client.GetConfigAsync();
        Assert.Equal(snap.Generation, after.Generation);
    }

    [Fact]
    public async Task A_stale_generation_is_a_conflict()
    {
        var snap = await _client.GetConfigAsync();
        await _client.PutConfigAsync(snap.Config, snap.Generation);
        var ex = await Assert.ThrowsAsync<ControlException>(() => _client.PutConfigAsync(snap.Config, snap.Generation));
        Assert.Equal(ControlErrorKind.Conflict, ex.Kind);
    }

    [Fact]
    public async Task A_port_held_by_another_process_is_refused_with_its_name()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        int taken = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        var snap = await _client.GetConfigAsync();
        snap.Config.Targets[0].Tpgs[0].Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = taken });
        var ex = await Assert.ThrowsAsync<ControlException>(() => _client.PutConfigAsync(snap.Config, snap.Generation));
        Assert.Equal(ControlErrorKind.Failed, ex.Kind);
        Assert.Contains($"{taken}", ex.Message);
        Assert.Contains("held by", ex.Message);
        Assert.Equal(snap.Generation, (await _client.GetConfigAsync()).Generation);
    }

    [Fact]
    public async Task Deleting_an_acl_closes_that_initiators_session()
    {
        using var c = new RawInitiator(_port);
        Assert.Equal(0, c.Login(TargetFixture.Writer, TargetFixture.Guarded, digests: false));
        Assert.Contains((await _client.GetSessionsAsync()), s => s.InitiatorName == TargetFixture.Writer);
        var snap = await _client.GetConfigAsync();
        snap.Config.Targets.Single(t => t.Wwn == TargetFixture.Guarded).Tpgs[0].NodeAcls.RemoveAll(a => a.NodeWwn == TargetFixture.Writer);
        await _client.PutConfigAsync(snap.Config, snap.Generation);
        Assert.True(c.WaitForClose());
        Assert.DoesNotContain((await _client.GetSessionsAsync()), s => s.InitiatorName == TargetFixture.Writer);
    }

    [Fact]
    public async Task Statistics_count_each_luns_io_and_a_connection_can_be_closed()
    {
        const string initiator = "iqn.2026-12.io.sharpsan.test:counted";
        using var c = new RawInitiator(_port);
        Assert.Equal(0, c.Login(initiator, TargetFixture.Open, digests: false));
        var data = new byte[8192];
        Assert.Equal(0, c.Write10(64, data).Header[3]);
        Assert.Equal(0, c.Read10(64, 4096, lun: 1).Final.Header[3]);
        Assert.Equal(0, c.Read10(64, 512, lun: 1).Final.Header[3]);

        var session = Assert.Single(await _client.GetSessionsAsync(), s => s.InitiatorName == initiator);
        var stats = await _client.GetStatisticsAsync();
        var written = Assert.Single(stats, s => s.Tsih == session.Tsih && s.Lun == 0);
        Assert.Equal(TargetFixture.Open, written.TargetName);
        Assert.Equal((8192L, 1L, 8192L, 1L), (written.WriteSubmittedBytes, written.WriteSubmittedCommands, written.WriteDoneBytes, written.WriteDoneCommands));
        var stat = Assert.Single(stats, s => s.Tsih == session.Tsih && s.Lun == 1);
        Assert.Equal((4608L, 2L, 4608L, 2L), (stat.ReadSubmittedBytes, stat.ReadSubmittedCommands, stat.ReadDoneBytes, stat.ReadDoneCommands));
        Assert.Equal(0, stat.Errors);
        Assert.Contains(stats, s => s.Tsih == session.Tsih && s.Lun == 4 && s.ReadSubmittedCommands == 0); // every LUN it sees has a line

        await _client.CloseConnectionAsync(session.Tsih, session.Connections[0].Cid);
        Assert.True(c.WaitForClose());
        Assert.DoesNotContain(await _client.GetSessionsAsync(), s => s.Tsih == session.Tsih);
        var missing = await Assert.ThrowsAsync<ControlException>(() => _client.CloseConnectionAsync(session.Tsih, 0));
        Assert.Equal(ControlErrorKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task Adding_a_lun_raises_reported_luns_data_has_changed()
    {
        using var c = new RawInitiator(_port);
        Assert.Equal(0, c.Login(TargetFixture.Writer, TargetFixture.Guarded, digests: false));
        Assert.Equal(0, c.Read10(0, 512, lun: 5).Final.Header[3]);
        var snap = await _client.GetConfigAsync();
        var tpg = snap.Config.Targets.Single(t => t.Wwn == TargetFixture.Guarded).Tpgs[0];
        tpg.Luns.Add(new LunConfig { Index = 1, StorageObject = "/backstores/ramdisk/rd1" });
        tpg.NodeAcls.Single(a => a.NodeWwn == TargetFixture.Writer).MappedLuns.Add(new MappedLunConfig { Index = 6, TpgLun = 1 });
        await _client.PutConfigAsync(snap.Config, snap.Generation);

        var (_, final) = c.Read10(0, 512, lun: 5);
        Assert.Equal(Opcode.ScsiResponse, final.Opcode);
        Assert.Equal(0x02, final.Header[3]);
        var sense = final.Data.AsSpan(2);
        Assert.Equal(0x06, sense[2] & 0x0F); // UNIT ATTENTION
        Assert.Equal(0x3F, sense[12]);
        Assert.Equal(0x0E, sense[13]);       // REPORTED LUNS DATA HAS CHANGED
        // Every LU the nexus sees reports the change once (as LIO does), then the new LUN serves I/O.
        var first = c.Read10(0, 512, lun: 6).Final;
        Assert.True(first.Header[3] == 0 || first.Data[2 + 12] == 0x3F);
        Assert.Equal(0, c.Read10(0, 512, lun: 6).Final.Header[3]);
        Assert.Equal(0, c.Read10(0, 512, lun: 5).Final.Header[3]);
        var session = (await _client.GetSessionsAsync()).Single(s => s.InitiatorName == TargetFixture.Writer);
        Assert.Contains(session.Luns, l => l.Lun == 6 && l.StorageObject == "ramdisk/rd1");
    }

    [Fact]
    public async Task Chap_changed_live_applies_to_the_next_login()
    {
        var snap = await _client.GetConfigAsync();
        var acl = snap.Config.Targets.Single(t => t.Wwn == TargetFixture.Secure).Tpgs[0].NodeAcls.Single(a => a.NodeWwn == TargetFixture.ChapClient);
        acl.ChapPassword = "a-brand-new-secret";
        await _client.PutConfigAsync(snap.Config, snap.Generation);
        string Url(string secret) => $"iscsi://{TargetFixture.ChapUser}%{secret}@127.0.0.1:{_port}/{TargetFixture.Secure}/0";
        Assert.NotEqual(0, Tool.Run("iscsi-inq", "-i", TargetFixture.ChapClient, Url(TargetFixture.ChapSecret)).ExitCode);
        var ok = Tool.Run("iscsi-inq", "-i", TargetFixture.ChapClient, Url("a-brand-new-secret"));
        Assert.True(ok.ExitCode == 0, ok.ToString());
    }

    [Fact]
    public async Task Discovery_authentication_applies_live()
    {
        var snap = await _client.GetConfigAsync();
        snap.Config.DiscoveryAuth = new DiscoveryAuthConfig { Enable = true, UserId = "discover", Password = "discovery-secret-1" };
        await _client.PutConfigAsync(snap.Config, snap.Generation);
        Assert.NotEqual(0, Tool.Run("iscsi-ls", $"iscsi://127.0.0.1:{_port}/").ExitCode);
        Assert.NotEqual(0, Tool.Run("iscsi-ls", $"iscsi://discover%wrong-secret-00@127.0.0.1:{_port}/").ExitCode);
        var ok = Tool.Run("iscsi-ls", $"iscsi://discover%discovery-secret-1@127.0.0.1:{_port}/");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains(TargetFixture.Open, ok.Stdout);
    }

    [Fact]
    public async Task Save_then_restart_serves_the_same_tree()
    {
        var snap = await _client.GetConfigAsync();
        snap.Config.Targets.Single(t => t.Wwn == TargetFixture.Open).Tpgs[0].Luns.Add(new LunConfig { Index = 7, StorageObject = "/backstores/fileio/guarded" });
        await _client.PutConfigAsync(snap.Config, snap.Generation);
        var path = await _client.SaveConfigAsync();
        Assert.Equal(_target.ConfigPath, path);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var before = SaveConfigWriter.Serialize((await _client.GetConfigAsync()).Config);
        Assert.Equal(0, _target.Stop());

        using var again = TargetProcess.StartWithFile(path, _port);
        using var client = new ControlHttpClient(again.ControlSocket);
        Assert.Equal(before, SaveConfigWriter.Serialize((await client.GetConfigAsync()).Config));
        // (iscsi-ls -s would stop at the first ACL-only target it may discover but not log in to.)
        var r = Tool.Run("iscsi-readcapacity16", $"iscsi://127.0.0.1:{_port}/{TargetFixture.Open}/7");
        Assert.True(r.ExitCode == 0, r.ToString());
    }
}
