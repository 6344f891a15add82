using System.Net;
using SharpSan.Config;
using SharpSan.Initiator;
using SharpSan.Protocol;

namespace SharpSan.Tgt.Tests;

/// <summary>tgtadm against a live sharpsand with initiators logged in: what it sets is what the
/// daemon enforces (ACLs, CHAP accounts, state, portals), and what it shows comes from the daemon
/// (I_T nexuses, connections, statistics).</summary>
public sealed class TgtadmLiveTests
{
    private const string Iqn = "iqn.2001-04.com.example:storage.live";
    private const string Initiator = "iqn.1994-05.com.redhat:live-client";

    private static async Task<LiveSharpsand> StartWithTargetAsync(params string[] bindArgs)
    {
        var daemon = await LiveSharpsand.StartAsync();
        var image = daemon.Dir.File("disk.img");
        using (var f = File.Create(image)) f.SetLength(16 << 20);
        await daemon.TgtadmOkAsync("--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", "1", "-T", Iqn);
        await daemon.TgtadmOkAsync("--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", "1", "-b", image);
        if (bindArgs.Length > 0)
            await daemon.TgtadmOkAsync(["--lld", "iscsi", "--op", "bind", "--mode", "target", "--tid", "1", .. bindArgs]);
        return daemon;
    }

    private static InitiatorOptions Options(ChapCredentials? chap = null) => new() { InitiatorName = Initiator, Chap = chap, LoginTimeout = TimeSpan.FromSeconds(20) };

    private static Task<IscsiSession> LoginAsync(LiveSharpsand d, ChapCredentials? chap = null, int? port = null)
        => IscsiSession.LoginAsync(new IPEndPoint(IPAddress.Loopback, port ?? d.Port), Iqn, Options(chap));

    [Fact]
    public async Task Nexus_connection_statistics_then_conn_delete_closes_the_session()
    {
        await using var daemon = await StartWithTargetAsync("-I", "ALL");
        await using var session = await LoginAsync(daemon);
        var disk = await BlockDevice.OpenAsync(session, 1);
        await disk.WriteAsync(0, new byte[8192]);

        using var client = daemon.Client();
        var tsih = (await client.GetSessionsAsync()).Single(s => s.TargetName == Iqn).Tsih;
        var show = await daemon.TgtadmOkAsync("--op", "show", "--mode", "target");
        Assert.Contains($"        I_T nexus: {tsih}\n            Initiator: {Initiator} alias: none\n            Connection: 0\n                IP Address: 127.0.0.1\n", show);
        Assert.Equal($"Session: {tsih}\n    Connection: 0\n        Initiator: {Initiator}\n        IP Address: 127.0.0.1\n",
            await daemon.TgtadmOkAsync("--op", "show", "--mode", "conn", "--tid", "1"));

        var stat = (await daemon.TgtadmOkAsync("--op", "stat", "--mode", "target", "--tid", "1")).Split('\n');
        Assert.Equal("tgt lun sid rd_subm(bytes,cmds) rd_done(bytes,cmds) wr_subm(bytes,cmds) wr_done(bytes,cmds) errs", stat[0]);
        Assert.StartsWith($"  1   0 {tsih,3} ", stat[1]);
        var lun1 = stat[2].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["1", "1", $"{tsih}"], lun1[..3]);
        Assert.Equal(("8192", "1", "8192", "1"), (lun1[7], lun1[8], lun1[9], lun1[10])); // wr_subm, wr_done
        var sessionStat = await daemon.TgtadmOkAsync("--op", "stat", "--mode", "session", "--tid", "1", "--sid", $"{tsih}");
        Assert.Contains("\nsid cid rxdata_octets txdata_octets dataout_pdus datain_pdus cmd_pdus rsp_pdus\n", sessionStat);

        var delete = await daemon.TgtadmAsync("--op", "delete", "--mode", "conn", "--tid", "1", "--sid", $"{tsih}", "--cid", "1");
        Assert.Equal((22, "tgtadm: can't find the connection\n"), (delete.ExitCode, delete.Stderr));
        await daemon.TgtadmOkAsync("--op", "delete", "--mode", "conn", "--tid", "1", "--sid", $"{tsih}", "--cid", "0");
        Assert.DoesNotContain(await client.GetSessionsAsync(), s => s.Tsih == tsih && s.TargetName == Iqn);
    }

    [Fact]
    public async Task Address_and_name_acls_decide_who_logs_in()
    {
        await using var daemon = await StartWithTargetAsync("-I", "10.0.0.0/8");
        await Assert.ThrowsAnyAsync<Exception>(() => LoginAsync(daemon));
        await daemon.TgtadmOkAsync("--op", "bind", "--mode", "target", "--tid", "1", "-Q", Initiator);
        await using (var s = await LoginAsync(daemon)) await s.LogoutAsync();

        // targetcli shows the name ACL as a node ACL with the LUNs mapped; saveconfig.json keeps tgt's rules.
        var tpg = (await daemon.ConfigAsync()).Targets.Single(t => t.Wwn == Iqn).Tpgs.Single();
        Assert.Equal((1, true, false), (tpg.Tag, tpg.GenerateNodeAcls, tpg.DemoModeWriteProtect));
        Assert.Equal([1UL], tpg.NodeAcls.Single(a => a.NodeWwn == Initiator).MappedLuns.Select(m => m.Index));
        using var client = daemon.Client();
        var saved = File.ReadAllText(await client.SaveConfigAsync(daemon.SaveConfigPath));
        Assert.Contains("\"initiator_addresses\": [\n", saved);
        Assert.Contains("\"10.0.0.0/8\"", saved);
        Assert.Contains("\"/backstores/fileio/tgt1_lun1\"", saved);
    }

    [Fact]
    public async Task Bound_accounts_require_chap_and_an_outgoing_one_answers_mutual_chap()
    {
        await using var daemon = await StartWithTargetAsync("-I", "ALL");
        await daemon.TgtadmOkAsync("--op", "new", "--mode", "account", "--user", "joe", "--password", "joes-secret-12");
        await daemon.TgtadmOkAsync("--op", "new", "--mode", "account", "--user", "tgt", "--password", "targets-secret-12");
        await daemon.TgtadmOkAsync("--op", "bind", "--mode", "account", "--tid", "1", "--user", "joe");
        await Assert.ThrowsAnyAsync<Exception>(() => LoginAsync(daemon));
        await Assert.ThrowsAnyAsync<Exception>(() => LoginAsync(daemon, new ChapCredentials("joe", "wrong-secret-12", "", "")));
        await using (var s = await LoginAsync(daemon, new ChapCredentials("joe", "joes-secret-12", "", ""))) await s.LogoutAsync();

        await daemon.TgtadmOkAsync("--op", "bind", "--mode", "account", "--tid", "1", "--user", "tgt", "--outgoing");
        await using (var s = await LoginAsync(daemon, new ChapCredentials("joe", "joes-secret-12", "tgt", "targets-secret-12"))) await s.LogoutAsync();
        Assert.Contains("    Account information:\n        joe\n        tgt (outgoing)\n", await daemon.TgtadmOkAsync("--op", "show", "--mode", "target"));
    }

    [Fact]
    public async Task An_offline_target_or_system_refuses_logins_until_ready()
    {
        await using var daemon = await StartWithTargetAsync("-I", "ALL");
        await daemon.TgtadmOkAsync("--op", "update", "--mode", "target", "--tid", "1", "-n", "state", "-v", "offline");
        Assert.Contains("        State: offline\n", await daemon.TgtadmOkAsync("--op", "show", "--mode", "target"));
        await Assert.ThrowsAnyAsync<Exception>(() => LoginAsync(daemon));
        await daemon.TgtadmOkAsync("--op", "update", "--mode", "target", "--tid", "1", "-n", "state", "-v", "ready");
        await using (var s = await LoginAsync(daemon)) await s.LogoutAsync();

        await daemon.TgtadmOkAsync("--op", "update", "--mode", "sys", "-n", "State", "-v", "offline");
        Assert.StartsWith("System:\n    State: offline\n", await daemon.TgtadmOkAsync("--op", "show", "--mode", "sys"));
        await Assert.ThrowsAnyAsync<Exception>(() => LoginAsync(daemon));
        await daemon.TgtadmOkAsync("--op", "update", "--mode", "sys", "-n", "State", "-v", "ready");
        await using (var s = await LoginAsync(daemon)) await s.LogoutAsync();
    }

    [Fact]
    public async Task A_new_portal_listens_and_a_deleted_one_stops()
    {
        await using var daemon = await StartWithTargetAsync("-I", "ALL");
        var port2 = FreePort.Next();
        await daemon.TgtadmOkAsync("--op", "new", "--mode", "portal", "--param", $"portal=127.0.0.1:{port2}");
        Assert.Equal($"Portal: 127.0.0.1:{port2},1\nPortal: 127.0.0.1:{daemon.Port},1\n", await daemon.TgtadmOkAsync("--op", "show", "--mode", "portal"));
        await using (var s = await LoginAsync(daemon, port: port2)) await s.LogoutAsync();
        await daemon.TgtadmOkAsync("--op", "delete", "--mode", "portal", "--param", $"portal=127.0.0.1:{port2}");
        await Assert.ThrowsAnyAsync<Exception>(() => LoginAsync(daemon, port: port2));
        var last = await daemon.TgtadmAsync("--op", "delete", "--mode", "portal", "--param", $"portal=127.0.0.1:{daemon.Port}");
        Assert.Equal(22, last.ExitCode);
    }

    [Fact]
    public async Task The_tgtadm_executable_finds_the_daemon_by_SHARPSAN_CONTROL_SOCKET()
    {
        Requirement.SkipUnlessMet(Requirement.BuiltExecutables("tgtadm"));
        await using var daemon = await StartWithTargetAsync("-I", "ALL");
        var psi = new System.Diagnostics.ProcessStartInfo(OutBin.Require("tgtadm")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--lld", "iscsi", "--op", "show", "--mode", "target" }) psi.ArgumentList.Add(a);
        psi.Environment["SHARPSAN_CONTROL_SOCKET"] = daemon.Socket;
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.Equal(0, p.ExitCode);
        Assert.StartsWith($"Target 1: {Iqn}\n", stdout);

        psi.Environment["SHARPSAN_CONTROL_SOCKET"] = daemon.Dir.File("nobody.sock");
        using var q = System.Diagnostics.Process.Start(psi)!;
        var stderr = await q.StandardError.ReadToEndAsync();
        await q.WaitForExitAsync();
        Assert.Equal(107, q.ExitCode);
        Assert.StartsWith("tgtadm: failed to send request hdr to tgt daemon, Transport endpoint is not connected (", stderr);
    }
}
