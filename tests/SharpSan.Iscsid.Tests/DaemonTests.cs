using System.Net.Sockets;
using SharpSan.Initiator;
using SharpSan.Iscsid.Client;
using SharpSan.Iscsid.Daemon;
using SharpSan.Iscsid.Protocol;
using SharpSan.IscsiAdm;
using SharpSan.IscsiAdm.Backends;
using SharpSan.NodeRecords;

namespace SharpSan.Iscsid.Tests;

/// <summary>The daemon core through <see cref="IscsidSessionBackend"/> and raw protocol lines.</summary>
public sealed class DaemonTests
{
    private static NodeRecord Record(int port) => NodeRecord.Create(TestTarget.Name, "127.0.0.1", port, 1);

    [Fact]
    public async Task Backend_login_list_duplicate_logout()
    {
        await using var target = await TestTarget.StartAsync();
        await using var h = await IscsidHarness.StartAsync();
        var ct = CancellationToken.None;

        Assert.Equal(IscsiError.Success, await h.Backend.LoginAsync(Record(target.Port), ct));
        var sessions = await h.Backend.ListSessionsAsync(ct);
        var s = Assert.Single(sessions);
        Assert.Equal(1, s.Sid);
        Assert.Equal(TestTarget.Name, s.TargetName);
        Assert.Equal(("127.0.0.1", target.Port, 1), (s.Address, s.Port, s.Tpgt));
        Assert.Equal(TestTarget.Initiator, s.IfaceInitiatorName);
        Assert.Equal(("default", "tcp"), (s.IfaceName, s.Transport));
        Assert.Equal(262144, s.Negotiated.MaxRecvDataSegmentLength);
        Assert.False(s.Negotiated.HeaderDigest);
        Assert.Null(s.HostNumber);
        Assert.Empty(s.Devices);

        Assert.Equal(IscsiError.SessionExists, await h.Backend.LoginAsync(Record(target.Port), ct));
        Assert.Equal(IscsiError.SessionNotFound, await h.Backend.LogoutAsync(9, ct));
        Assert.Equal(IscsiError.Success, await h.Backend.LogoutAsync(1, ct));
        Assert.Empty(await h.Backend.ListSessionsAsync(ct));
    }

    [Fact]
    public async Task Record_values_reach_the_login_header_digest_and_burst_lengths()
    {
        await using var target = await TestTarget.StartAsync();
        await using var h = await IscsidHarness.StartAsync();
        var r = Record(target.Port);
        r["node.conn[0].iscsi.HeaderDigest"] = "CRC32C";
        r["node.session.iscsi.FirstBurstLength"] = "65536";
        r["node.session.iscsi.MaxBurstLength"] = "131072";
        r["node.session.timeo.replacement_timeout"] = "33";
        r["iface.initiatorname"] = TestTarget.Initiator + "-iface";
        Assert.Equal(IscsiError.Success, await h.Backend.LoginAsync(r, CancellationToken.None));
        var s = Assert.Single(await h.Backend.ListSessionsAsync(CancellationToken.None));
        Assert.True(s.Negotiated.HeaderDigest);
        Assert.Equal(65536, s.Negotiated.FirstBurstLength);
        Assert.Equal(131072, s.Negotiated.MaxBurstLength);
        Assert.Equal(33, s.RecoveryTimeout);
        Assert.Equal(TestTarget.Initiator + "-iface", s.IfaceInitiatorName);
        Assert.Equal(IscsiError.Success, await h.Backend.LogoutAsync(s.Sid, CancellationToken.None));
    }

    [Fact]
    public void Node_record_maps_to_initiator_options()
    {
        var r = Record(3260);
        r.AuthMethod = "CHAP";
        r.Username = "u";
        r.Password = "p";
        r.UsernameIn = "ui";
        r.PasswordIn = "pi";
        r["node.session.auth.chap_algs"] = "SHA256,MD5";
        r["node.conn[0].iscsi.DataDigest"] = "CRC32C,None";
        r["node.session.iscsi.InitialR2T"] = "Yes";
        r["node.session.iscsi.ImmediateData"] = "No";
        r["node.session.iscsi.MaxOutstandingR2T"] = "4";
        r["node.conn[0].iscsi.MaxRecvDataSegmentLength"] = "65536";
        r["node.conn[0].timeo.login_timeout"] = "7";
        r["node.conn[0].timeo.noop_out_interval"] = "0";
        var o = NodeLogin.Options(r, "iqn.x:y");
        Assert.Equal("iqn.x:y", o.InitiatorName);
        Assert.NotNull(o.Chap);
        Assert.Equal(("u", "p", "ui", "pi", "7,5"), (o.Chap!.UserId, o.Chap.Secret, o.Chap.MutualUserId, o.Chap.MutualSecret, o.ChapAlgorithms));
        Assert.Equal(("None", "CRC32C,None"), (o.HeaderDigest, o.DataDigest));
        Assert.True(o.InitialR2T);
        Assert.False(o.ImmediateData);
        Assert.Equal(4, o.MaxOutstandingR2T);
        Assert.Equal(65536, o.MaxRecvDataSegmentLength);
        Assert.Equal(TimeSpan.FromSeconds(7), o.LoginTimeout);
        Assert.Equal(TimeSpan.Zero, o.NopOutInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), o.NopOutTimeout);
        Assert.Null(NodeLogin.Options(Record(3260), "iqn.x:y").Chap);
    }

    [Fact]
    public async Task Raw_protocol_answers_bad_lines_and_versions_and_keeps_the_connection()
    {
        await using var h = await IscsidHarness.StartAsync();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(h.SocketPath));
        await using var c = new LineConnection(socket);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        async Task<IscsidResponse> Ask(string line)
        {
            await c.WriteLineAsync(line, timeout.Token);
            return IscsidProtocol.ParseResponse((await c.ReadLineAsync(timeout.Token))!);
        }
        Assert.Equal((int)IscsiError.InvalidMgmtRequest, (await Ask("{not json")).Error);
        var v2 = await Ask("{\"v\":2,\"op\":\"list\"}");
        Assert.Equal((int)IscsiError.InvalidMgmtRequest, v2.Error);
        Assert.Contains("version 2", v2.Message);
        Assert.Equal((int)IscsiError.InvalidMgmtRequest, (await Ask("{\"v\":1,\"op\":\"dance\"}")).Error);
        Assert.Equal((int)IscsiError.InvalidArgument, (await Ask("{\"v\":1,\"op\":\"logout\"}")).Error);
        Assert.Equal((int)IscsiError.InvalidArgument, (await Ask("{\"v\":1,\"op\":\"login\",\"node\":{}}")).Error);
        var list = await Ask("{\"v\":1,\"op\":\"list\"}");
        Assert.Equal(0, list.Error);
        Assert.Equal(1, list.Version);
        Assert.Empty(list.Sessions!);
    }

    [Fact]
    public async Task Socket_is_root_only_and_a_second_daemon_is_refused()
    {
        await using var h = await IscsidHarness.StartAsync();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(h.SocketPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(h.Root));
        await Assert.ThrowsAsync<IOException>(() => IscsidDaemon.StartAsync(new IscsidOptions { SocketPath = h.SocketPath }));
        Assert.Empty(await h.Backend.ListSessionsAsync(CancellationToken.None)); // the first still answers
    }

    [Fact]
    public async Task A_stale_socket_file_is_replaced()
    {
        var root = IscsidHarness.NewRoot();
        var path = Path.Combine(root, "iscsid.sock");
        File.WriteAllText(path, ""); // left behind by a daemon that died: nothing answers on it
        await using (var daemon = await IscsidDaemon.StartAsync(new IscsidOptions { SocketPath = path }))
            Assert.Empty(await new IscsidSessionBackend(new IscsidClientOptions { SocketPath = path }).ListSessionsAsync(CancellationToken.None));
        Assert.False(File.Exists(path));
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Shutdown_request_logs_out_every_session_and_stops()
    {
        await using var target = await TestTarget.StartAsync();
        await using var h = await IscsidHarness.StartAsync();
        Assert.Equal(IscsiError.Success, await h.Backend.LoginAsync(Record(target.Port), CancellationToken.None));
        await h.Backend.ShutdownAsync(CancellationToken.None);
        await h.Daemon.Completion.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, h.Daemon.SessionCount);
        Assert.False(File.Exists(h.SocketPath));
        Assert.Contains("logged out of " + TestTarget.Name, h.Log.ToString());
        var gone = await Assert.ThrowsAsync<IscsiAdmException>(() => h.Backend.ListSessionsAsync(CancellationToken.None));
        Assert.Equal(IscsiError.IscsidNotConnected, gone.Error);
    }

    [Fact]
    public async Task A_lun_attacher_gets_every_lun_and_its_devices_are_listed_and_detached()
    {
        var attacher = new FakeAttacher();
        await using var target = await TestTarget.StartAsync();
        await using var h = await IscsidHarness.StartAsync(attacher);
        var portal = $"127.0.0.1:{target.Port}";
        Assert.Equal(0, (await h.AdmAsync("-m", "node", "-o", "new", "-T", TestTarget.Name, "-p", portal)).Code);
        var login = await h.AdmAsync("-m", "node", "-T", TestTarget.Name, "-p", portal, "-l");
        Assert.True(login.Code == 0, login.Err + h.Log);
        Assert.Equal(["sharpsan-s1-l0"], attacher.Attached);

        var p3 = await h.AdmAsync("-m", "session", "-P", "3");
        Assert.Contains("\t\tHost Number: 0\tState: running\n\t\tscsi0 Channel 00 Id 0 Lun: 0\n\t\t\tAttached scsi disk sharpsan-s1-l0\t\tState: running\n", p3.Out);

        Assert.Equal(0, (await h.AdmAsync("-m", "session", "-u")).Code);
        Assert.Equal(["/dev/fake/sharpsan-s1-l0"], attacher.Detached);
    }

    private sealed class FakeAttacher : ILunAttacher
    {
        public List<string> Attached { get; } = [];
        public List<string> Detached { get; } = [];

        public Task<string> AttachAsync(IscsiSession session, ulong lun, string name, CancellationToken cancellationToken)
        {
            lock (Attached) Attached.Add(name);
            return Task.FromResult("/dev/fake/" + name);
        }

        public Task DetachAsync(string devicePath, CancellationToken cancellationToken)
        {
            lock (Detached) Detached.Add(devicePath);
            return Task.CompletedTask;
        }
    }
}
