using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Tests;

public class NodeModeTests
{
    private const string Target = "iqn.2003-01.org.linux-iscsi.host:sn.1234";

    private static Harness WithNode()
    {
        var h = new Harness();
        var r = NodeRecord.Create(Target, "127.0.0.1", 3260, 1);
        r.DiscoveryAddress = "127.0.0.1";
        r.DiscoveryPort = 3260;
        r.DiscoveryType = "send_targets";
        h.Database.WriteNode(r);
        return h;
    }

    [Fact]
    public void No_records_exits_21()
    {
        using var h = new Harness();
        Assert.Equal((21, "", "iscsiadm: No records found\n"), h.Run("-m node"));
        Assert.Equal((21, "", "iscsiadm: No records found\n"), h.Run($"-m node -T {Target} -p 127.0.0.1 --login"));
    }

    [Fact]
    public void Lists_nodes_flat_and_as_tree()
    {
        using var h = WithNode();
        Assert.Equal((0, $"127.0.0.1:3260,1 {Target}\n", ""), h.Run("-m node"));
        Assert.Equal((0, $"Target: {Target}\n\tPortal: 127.0.0.1:3260,1\n\t\tIface Name: default\n", ""), h.Run("--mode node -P 1"));
        Assert.Equal(7, h.Run("-m node -P 2").Code);
    }

    [Fact]
    public void Show_prints_the_record()
    {
        using var h = WithNode();
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Expected", "node-show.txt"));
        Assert.Equal((0, expected, ""), h.Run($"-m node -T {Target} -p 127.0.0.1 -o show"));
        Assert.Equal((0, expected, ""), h.Run($"-m node -T {Target} -p 127.0.0.1:3260"));
        Assert.Equal((21, "", "iscsiadm: No records found\n"), h.Run($"-m node -T {Target} -p 127.0.0.2 -o show"));
    }

    [Fact]
    public void Update_of_auth_keys_then_show_masked_and_with_S()
    {
        using var h = WithNode();
        Assert.Equal((0, "", ""), h.Run($"-m node -T {Target} -p 127.0.0.1 -o update -n node.session.auth.authmethod -v CHAP"));
        Assert.Equal((0, "", ""), h.Run("-m", "node", "-T", Target, "-p", "127.0.0.1", "--op=update", "--name", "node.session.auth.username", "--value", "alice"));
        Assert.Equal((0, "", ""), h.Run($"-m node -T {Target} -o update -n node.session.auth.password -v wonderland"));
        var masked = h.Run($"-m node -T {Target} -p 127.0.0.1 -o show").Out;
        Assert.Contains("node.session.auth.authmethod = CHAP\nnode.session.auth.username = alice\nnode.session.auth.password = ********\nnode.session.auth.username_in = <empty>\nnode.session.auth.password_in = <empty>\n", masked);
        Assert.DoesNotContain("wonderland", masked);
        var shown = h.Run($"-m node -T {Target} -p 127.0.0.1 -o show -S").Out;
        Assert.Contains("node.session.auth.password = wonderland\n", shown);
        var file = File.ReadAllText(Path.Combine(h.Root, "nodes", Target, "127.0.0.1,3260,1", "default"));
        Assert.Contains("node.session.auth.password = wonderland\n", file);
    }

    [Fact]
    public void Update_errors_follow_open_iscsi()
    {
        using var h = WithNode();
        Assert.Equal((7, "", "iscsiadm: Cannot modify node.session.bogus. Invalid param name.\niscsiadm: Could not execute operation on all records: invalid parameter\n"),
            h.Run($"-m node -T {Target} -o update -n node.session.bogus -v 1"));
        Assert.Equal((7, "", "iscsiadm: Cannot modify node.name. It is used to look up the record and cannot be changed.\niscsiadm: Could not execute operation on all records: invalid parameter\n"),
            h.Run($"-m node -T {Target} -o update -n node.name -v x"));
        Assert.Equal((7, "", "iscsiadm: Cannot modify iface.ipaddress. Use iface mode to update this value.\n"),
            h.Run($"-m node -T {Target} -o update -n iface.ipaddress -v 1.2.3.4"));
        Assert.Equal((7, "", "iscsiadm: update requires name and value\n"), h.Run($"-m node -T {Target} -o update -n node.startup"));
        Assert.Equal((7, "", "iscsiadm: unknown value format 'sometimes' for parameter name 'node.startup'\niscsiadm: Unknown parameter node.startup.\niscsiadm: Could not execute operation on all records: invalid parameter\n"),
            h.Run($"-m node -T {Target} -o update -n node.startup -v sometimes"));
        Assert.Equal((21, "", "iscsiadm: No records found\n"), h.Run("-m node -T iqn.x:none -o update -n node.startup -v automatic"));
        Assert.Contains("node.startup = manual\n", h.Run($"-m node -T {Target}").Out);
    }

    [Fact]
    public void New_and_delete()
    {
        using var h = new Harness();
        Assert.Equal((0, "New iSCSI node [tcp:[hw=,ip=,net_if=,iscsi_if=default] 10.0.0.9,3261,2 iqn.x:y] added\n", ""), h.Run("-m node -o new -T iqn.x:y -p 10.0.0.9:3261,2"));
        Assert.True(File.Exists(Path.Combine(h.Root, "nodes", "iqn.x:y", "10.0.0.9,3261,2", "default")));
        Assert.Contains("node.discovery_type = static\n", h.Run("-m node -T iqn.x:y").Out);
        Assert.Equal((0, "", ""), h.Run("-m node -o delete -T iqn.x:y -p 10.0.0.9:3261"));
        Assert.False(Directory.Exists(Path.Combine(h.Root, "nodes", "iqn.x:y")));
        Assert.Equal((21, "", "iscsiadm: No records found\n"), h.Run("-m node -o delete -T iqn.x:y"));
    }

    [Fact]
    public void Delete_refuses_a_record_in_use()
    {
        using var h = WithNode();
        h.Sessions.Sessions.Add(SessionTests.Session(1));
        var (code, _, err) = h.Run($"-m node -o delete -T {Target}");
        Assert.Equal(15, code);
        Assert.StartsWith($"iscsiadm: This command will remove the record [iface: default, target: {Target}, portal: 127.0.0.1,3260], but a session is using it.", err);
        Assert.Single(h.Database.ReadAllNodes());
    }

    [Fact]
    public void Login_prints_open_iscsi_lines()
    {
        using var h = WithNode();
        Assert.Equal((0,
            $"Logging in to [iface: default, target: {Target}, portal: 127.0.0.1,3260]\nLogin to [iface: default, target: {Target}, portal: 127.0.0.1,3260] successful.\n", ""),
            h.Run($"-m node -T {Target} -p 127.0.0.1 --login"));
        var login = Assert.Single(h.Sessions.Logins);
        Assert.Equal(Target, login.TargetName);
        Assert.Matches("^iqn\\.2016-04\\.com\\.open-iscsi:[0-9a-f]{12}$", login["iface.initiatorname"]);
        Assert.True(File.Exists(h.Database.InitiatorNamePath));
    }

    [Fact]
    public void Login_auth_failure_exits_24()
    {
        using var h = WithNode();
        h.Sessions.LoginResult = IscsiError.LoginAuthFailed;
        Assert.Equal((24,
            $"Logging in to [iface: default, target: {Target}, portal: 127.0.0.1,3260]\n",
            $"iscsiadm: Could not login to [iface: default, target: {Target}, portal: 127.0.0.1,3260].\n" +
            "iscsiadm: initiator reported error (24 - iSCSI login failed due to authorization failure)\n" +
            "iscsiadm: Could not log into all portals\n"),
            h.Run($"-m node -T {Target} -p 127.0.0.1 -l"));
    }

    [Fact]
    public void Login_to_a_logged_in_node_exits_15()
    {
        using var h = WithNode();
        h.Sessions.Sessions.Add(SessionTests.Session(1));
        Assert.Equal((15, "", "iscsiadm: default: 1 session requested, but 1 already present.\niscsiadm: Could not log into all portals\n"),
            h.Run($"-m node -T {Target} -p 127.0.0.1 -l"));
        Assert.Empty(h.Sessions.Logins);
    }

    [Fact]
    public void Logout_prints_open_iscsi_lines()
    {
        using var h = WithNode();
        Assert.Equal((21, "", "iscsiadm: No matching sessions found\n"), h.Run($"-m node -T {Target} -p 127.0.0.1 -u"));
        h.Sessions.Sessions.Add(SessionTests.Session(3));
        Assert.Equal((0,
            $"Logging out of session [sid: 3, target: {Target}, portal: 127.0.0.1,3260]\nLogout of [sid: 3, target: {Target}, portal: 127.0.0.1,3260] successful.\n", ""),
            h.Run($"-m node -T {Target} -p 127.0.0.1 --logout"));
        Assert.Equal([3], h.Sessions.Logouts);
    }

    [Fact]
    public void Loginall_selects_by_startup()
    {
        using var h = WithNode();
        Assert.Equal((21, "", "iscsiadm: No records found\n"), h.Run("-m node -L automatic"));
        Assert.Equal((0, "", ""), h.Run($"-m node -T {Target} -o update -n node.startup -v automatic"));
        Assert.Equal(0, h.Run("-m node --loginall=automatic").Code);
        Assert.Single(h.Sessions.Logins);
        Assert.Equal((7, "", "iscsiadm: Invalid loginall option sometimes.\n"), h.Run("-m node -L sometimes"));
    }
}
