namespace SharpSan.Iscsid.Tests;

/// <summary>iscsiadm (IscsiAdmCommand) against the in-process iscsid and our own target, with open-iscsi's lines and exit codes.</summary>
public sealed class IscsiadmThroughIscsidTests
{
    private const string Iqn = TestTarget.Name;

    [Fact]
    public async Task Discovery_login_list_print_second_login_logout_and_no_sessions()
    {
        await using var target = await TestTarget.StartAsync();
        await using var h = await IscsidHarness.StartAsync();
        var portal = $"127.0.0.1:{target.Port}";
        var what = $"[iface: default, target: {Iqn}, portal: 127.0.0.1,{target.Port}]";

        var discovery = await h.AdmAsync("-m", "discovery", "-t", "sendtargets", "-p", portal);
        Assert.True(discovery.Code == 0, discovery.Err);
        Assert.Contains($"127.0.0.1:{target.Port},1 {Iqn}", discovery.Out);

        var login = await h.AdmAsync("-m", "node", "-T", Iqn, "-p", portal, "--login");
        Assert.True(login.Code == 0, login.Err + h.Log);
        Assert.Equal($"Logging in to {what}\nLogin to {what} successful.\n", login.Out);
        Assert.Equal("", login.Err);

        var list = await h.AdmAsync("-m", "session");
        Assert.Equal(0, list.Code);
        Assert.Equal($"tcp: [1] 127.0.0.1:{target.Port},1 {Iqn} (non-flash)\n", list.Out);

        var p3 = await h.AdmAsync("-m", "session", "-P", "3");
        Assert.Equal(0, p3.Code);
        Assert.Contains("iSCSI Transport Class version 2.0-870\n", p3.Out);
        Assert.Contains($"Target: {Iqn} (non-flash)\n", p3.Out);
        Assert.Contains($"\tCurrent Portal: 127.0.0.1:{target.Port},1\n", p3.Out);
        Assert.Contains($"\tPersistent Portal: 127.0.0.1:{target.Port},1\n", p3.Out);
        Assert.Contains($"\t\tIface Initiatorname: {TestTarget.Initiator}\n", p3.Out);
        Assert.Contains("\t\tIface IPaddress: 127.0.0.1\n", p3.Out);
        Assert.Contains("\t\tSID: 1\n", p3.Out);
        Assert.Contains("\t\tiSCSI Connection State: LOGGED IN\n", p3.Out);
        Assert.Contains("\t\tiSCSI Session State: LOGGED_IN\n", p3.Out);
        Assert.Contains("\t\tInternal iscsid Session State: NO CHANGE\n", p3.Out);
        Assert.Contains("\t\tRecovery Timeout: 120\n", p3.Out);
        Assert.Contains("\t\tusername: <empty>\n", p3.Out);
        Assert.Contains("\t\tNegotiated iSCSI params:\n", p3.Out);
        Assert.Contains("\t\tHeaderDigest: None\n\t\tDataDigest: None\n\t\tMaxRecvDataSegmentLength: 262144\n", p3.Out);
        Assert.Contains("\t\tImmediateData: Yes\n\t\tInitialR2T: No\n", p3.Out);
        Assert.Contains("\t\tAttached SCSI devices:\n\t\t************************\n\t\tUnavailable\n", p3.Out);

        var again = await h.AdmAsync("-m", "node", "-T", Iqn, "-p", portal, "--login");
        Assert.Equal(15, again.Code);
        Assert.Equal("iscsiadm: default: 1 session requested, but 1 already present.\niscsiadm: Could not log into all portals\n", again.Err);
        Assert.Equal("", again.Out);

        var logout = await h.AdmAsync("-m", "node", "-T", Iqn, "-p", portal, "--logout");
        Assert.True(logout.Code == 0, logout.Err + h.Log);
        var session = $"[sid: 1, target: {Iqn}, portal: 127.0.0.1,{target.Port}]";
        Assert.Equal($"Logging out of session {session}\nLogout of {session} successful.\n", logout.Out);

        var none = await h.AdmAsync("-m", "session");
        Assert.Equal(21, none.Code);
        Assert.Equal("iscsiadm: No active sessions.\n", none.Err);
        Assert.Equal(0, h.Daemon.SessionCount);
    }

    [Fact]
    public async Task Wrong_chap_secret_fails_with_24_then_the_right_one_logs_in()
    {
        await using var target = await TestTarget.StartAsync(TestTarget.AclWithChap("alice", "alice-secret-12"));
        await using var h = await IscsidHarness.StartAsync();
        var portal = $"127.0.0.1:{target.Port}";
        var what = $"[iface: default, target: {Iqn}, portal: 127.0.0.1,{target.Port}]";

        var added = await h.AdmAsync("-m", "node", "-o", "new", "-T", Iqn, "-p", portal);
        Assert.True(added.Code == 0, added.Err);
        foreach (var (name, value) in new[] { ("node.session.auth.authmethod", "CHAP"), ("node.session.auth.username", "alice"), ("node.session.auth.password", "wrong-secret-12") })
        {
            var update = await h.AdmAsync("-m", "node", "-T", Iqn, "-p", portal, "-o", "update", "-n", name, "-v", value);
            Assert.True(update.Code == 0, update.Err);
        }

        var bad = await h.AdmAsync("-m", "node", "-T", Iqn, "-p", portal, "--login");
        Assert.Equal(24, bad.Code);
        Assert.Equal($"Logging in to {what}\n", bad.Out);
        Assert.Equal(
            $"iscsiadm: Could not login to {what}.\n" +
            "iscsiadm: initiator reported error (24 - iSCSI login failed due to authorization failure)\n" +
            "iscsiadm: Could not log into all portals\n", bad.Err);
        Assert.Equal(0, h.Daemon.SessionCount);

        var fix = await h.AdmAsync("-m", "node", "-T", Iqn, "-p", portal, "-o", "update", "-n", "node.session.auth.password", "-v", "alice-secret-12");
        Assert.Equal(0, fix.Code);
        var good = await h.AdmAsync("-m", "node", "-T", Iqn, "-p", portal, "--login");
        Assert.True(good.Code == 0, good.Err + h.Log);

        var p2 = await h.AdmAsync("-m", "session", "-P", "2");
        Assert.Contains("\t\tusername: alice\n\t\tpassword: ********\n", p2.Out);
        var secrets = await h.AdmAsync("-m", "session", "-P", "2", "-S");
        Assert.Contains("\t\tusername: alice\n\t\tpassword: alice-secret-12\n", secrets.Out);

        var logout = await h.AdmAsync("-m", "session", "-u");
        Assert.True(logout.Code == 0, logout.Err);
        Assert.Equal(21, (await h.AdmAsync("-m", "session")).Code);
    }

    [Fact]
    public async Task Logout_by_sid_and_unknown_sid()
    {
        await using var target = await TestTarget.StartAsync();
        await using var h = await IscsidHarness.StartAsync();
        var portal = $"127.0.0.1:{target.Port}";
        Assert.Equal(0, (await h.AdmAsync("-m", "node", "-o", "new", "-T", Iqn, "-p", portal)).Code);
        Assert.Equal(0, (await h.AdmAsync("-m", "node", "-T", Iqn, "-p", portal, "-l")).Code);

        var unknown = await h.AdmAsync("-m", "session", "-r", "7", "-u");
        Assert.Equal(2, unknown.Code);

        var logout = await h.AdmAsync("-m", "session", "-r", "1", "-u");
        Assert.True(logout.Code == 0, logout.Err);
        Assert.Contains("Logout of [sid: 1, target: " + Iqn, logout.Out);

        // sids keep counting, as open-iscsi's do
        Assert.Equal(0, (await h.AdmAsync("-m", "node", "-T", Iqn, "-p", portal, "-l")).Code);
        Assert.StartsWith("tcp: [2] ", (await h.AdmAsync("-m", "session")).Out);
        Assert.Equal(0, (await h.AdmAsync("-m", "session", "-u")).Code);
    }

    [Fact]
    public async Task Login_to_a_closed_port_reports_connection_failure_4()
    {
        await using var h = await IscsidHarness.StartAsync();
        var port = TargetHarness.FreePort();
        var portal = $"127.0.0.1:{port}";
        Assert.Equal(0, (await h.AdmAsync("-m", "node", "-o", "new", "-T", Iqn, "-p", portal)).Code);
        var login = await h.AdmAsync("-m", "node", "-T", Iqn, "-p", portal, "--login");
        Assert.Equal(4, login.Code);
        Assert.Contains("initiator reported error (4 - encountered connection failure)", login.Err);
    }

    [Fact]
    public async Task Without_a_daemon_session_commands_exit_20()
    {
        var root = IscsidHarness.NewRoot();
        try
        {
            var backend = new IscsiAdm.Backends.IscsidSessionBackend(new Client.IscsidClientOptions { SocketPath = Path.Combine(root, "iscsid.sock") });
            var err = new StringWriter();
            var command = new IscsiAdm.IscsiAdmCommand(new NodeRecords.NodeDatabase(root), new IscsiAdm.Backends.UnavailableDiscoveryBackend(), backend, new StringWriter(), err);
            Assert.Equal(20, await command.RunAsync(["-m", "session"]));
            Assert.StartsWith("iscsiadm: could not connect to iscsid at ", err.ToString());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
