using SharpSan.Initiator;
using SharpSan.IscsiAdm.Backends;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Tests;

public class DiscoveryAndCliTests
{
    private static Harness WithTargets()
    {
        var h = new Harness();
        h.Discovery.Targets.Add(new DiscoveredTarget("iqn.2025-09.com.example:storage1", ["192.168.56.44:3260,1"]));
        h.Discovery.Targets.Add(new DiscoveredTarget("iqn.2025-09.com.example:storage2", ["192.168.56.44:3260,1", "[fe80::1]:3261,2"]));
        return h;
    }

    [Fact]
    public void Sendtargets_writes_records_and_prints_portals()
    {
        using var h = WithTargets();
        var expected = "192.168.56.44:3260,1 iqn.2025-09.com.example:storage1\n192.168.56.44:3260,1 iqn.2025-09.com.example:storage2\n[fe80::1]:3261,2 iqn.2025-09.com.example:storage2\n";
        Assert.Equal((0, expected, ""), h.Run("-m discovery -t sendtargets -p 192.168.56.44"));
        Assert.Equal(("192.168.56.44", 3260), (h.Discovery.Calls[0].Host, h.Discovery.Calls[0].Port));
        Assert.Null(h.Discovery.Calls[0].Auth);
        Assert.True(File.Exists(Path.Combine(h.Root, "send_targets", "192.168.56.44,3260", "st_config")));
        Assert.True(File.Exists(Path.Combine(h.Root, "nodes", "iqn.2025-09.com.example:storage1", "192.168.56.44,3260,1", "default")));
        Assert.True(File.Exists(Path.Combine(h.Root, "nodes", "iqn.2025-09.com.example:storage2", "fe80::1,3261,2", "default")));
        var node = h.Run("-m node -T iqn.2025-09.com.example:storage1").Out;
        Assert.Contains("node.discovery_address = 192.168.56.44\nnode.discovery_port = 3260\nnode.discovery_type = send_targets\n", node);
        Assert.Equal((0, "192.168.56.44:3260 via sendtargets\n", ""), h.Run("-m discovery"));
    }

    [Fact]
    public void Rediscovery_keeps_existing_records_and_drops_stale_ones()
    {
        using var h = WithTargets();
        h.Run("-m discovery -t st -p 192.168.56.44");
        h.Run("-m node -T iqn.2025-09.com.example:storage1 -o update -n node.session.auth.authmethod -v CHAP");
        h.Discovery.Targets.RemoveAt(1);
        Assert.Equal((0, "192.168.56.44:3260,1 iqn.2025-09.com.example:storage1\n", ""), h.Run("-m discovery -t st -p 192.168.56.44:3260"));
        var nodes = h.Database.ReadAllNodes();
        Assert.Equal("CHAP", Assert.Single(nodes).AuthMethod);
    }

    [Fact]
    public void Discovery_uses_stored_chap_and_reports_failures()
    {
        using var h = WithTargets();
        Assert.Equal(0, h.Run("-m discoverydb -t st -p 192.168.56.44 -o new").Code);
        Assert.Equal(0, h.Run("-m discoverydb -t st -p 192.168.56.44 -o update -n discovery.sendtargets.auth.authmethod -v CHAP -n discovery.sendtargets.auth.username -v u -n discovery.sendtargets.auth.password -v p").Code);
        Assert.Contains("discovery.sendtargets.auth.password = ********\n", h.Run("-m discovery -p 192.168.56.44").Out);
        Assert.Contains("discovery.sendtargets.auth.password = p\n", h.Run("-m discovery -p 192.168.56.44 -S").Out);
        h.Discovery.Failure = IscsiError.LoginAuthFailed;
        Assert.Equal((24, "", "iscsiadm: Could not perform SendTargets discovery: iSCSI login failed due to authorization failure\n"), h.Run("-m discovery -t st -p 192.168.56.44"));
        var auth = h.Discovery.Calls[0].Auth!;
        Assert.Equal(("u", "p", "", ""), (auth.Username, auth.Password, auth.UsernameIn, auth.PasswordIn));
        Assert.Equal(["MD5"], h.Discovery.Calls[0].Auth!.ChapAlgorithms);
    }

    [Fact]
    public void Discovery_errors()
    {
        using var h = new Harness();
        Assert.Equal((21, "", ""), h.Run("-m discovery"));
        Assert.Equal((7, "", "iscsiadm: Please specify portal as <ipaddr>[:<ipport>]\n"), h.Run("-m discovery -t st"));
        Assert.Equal((21, "", "iscsiadm: No portals found\n"), h.Run("-m discovery -t st -p 10.0.0.1"));
        Assert.Equal((7, "", "iscsiadm: Discovery record [10.0.0.2,3260] not found!\n"), h.Run("-m discovery -p 10.0.0.2"));
        // as in open-iscsi, the discovery record is kept even when the target reported no portals
        Assert.Equal((0, "10.0.0.1:3260 via sendtargets\n", ""), h.Run("-m discovery"));
    }

    [Fact]
    public void Discovery_with_login_logs_into_every_portal()
    {
        using var h = WithTargets();
        var (code, output, _) = h.Run("-m discovery -t st -p 192.168.56.44 -l");
        Assert.Equal(0, code);
        Assert.Equal(3, h.Sessions.Logins.Count);
        Assert.Contains("Login to [iface: default, target: iqn.2025-09.com.example:storage2, portal: fe80::1,3261] successful.\n", output);
    }

    [Fact]
    public void Iface_list()
    {
        using var h = new Harness();
        Assert.Equal((0, "default tcp,<empty>,<empty>,<empty>,<empty>\niser iser,<empty>,<empty>,<empty>,<empty>\n", ""), h.Run("-m iface"));
    }

    [Theory]
    [InlineData("-m node -z", 7, "iscsiadm: invalid option -- 'z'\niscsiadm: node mode: option '-?' is not allowed/supported\n")]
    [InlineData("-m node -t st", 7, "iscsiadm: node mode: option '-t' is not allowed/supported\n")]
    [InlineData("-m bogus", 7, "iscsiadm: mode -1 is not yet supported\n")]
    [InlineData("-m node -o frob", 7, "iscsiadm: can not recognize operation: 'frob'\n")]
    [InlineData("-m node -l -u -T iqn.x:y", 7, "iscsiadm: Invalid parameters. Both login and logout passed in\n")]
    [InlineData("-m node -l -o show -T iqn.x:y", 7, "iscsiadm: Invalid parameters. Login/logout and op passed in\n")]
    [InlineData("-m session -o new", 7, "iscsiadm: session mode: Operation 'new' only allowed with specific session IDs\n")]
    [InlineData("-m", 7, "iscsiadm: option requires an argument -- 'm'\niscsiadm: unrecognized character 'm'\n")]
    [InlineData("--lo", 7, "iscsiadm: option '--lo' is ambiguous; possibilities: '--login' '--loginall' '--logout' '--logoutall'\nTry `iscsiadm --help' for more information.\n")]
    [InlineData("-l", 7, "Try `iscsiadm --help' for more information.\n")]
    [InlineData("-m host", 27, "iscsiadm: host mode needs offload iSCSI hosts, which SharpSAN does not have\n")]
    [InlineData("-m fw", 27, "iscsiadm: fw mode needs iBFT/OF firmware boot support, which SharpSAN does not have yet\n")]
    [InlineData("-m session -r abc", 1, "iscsiadm: abc is an invalid session ID or path\n")]
    public void Bad_arguments(string commandLine, int code, string stderr)
    {
        using var h = new Harness();
        Assert.Equal((code, "", stderr), h.Run(commandLine));
    }

    [Fact]
    public void Version_and_help()
    {
        using var h = new Harness();
        Assert.Equal((0, "iscsiadm version 2.1.8\n", ""), h.Run("--version"));
        Assert.StartsWith("iscsiadm -m discoverydb", h.Run("-h").Out);
    }

    [Fact]
    public void Error_table_matches_iscsi_err()
    {
        Assert.Equal(21, (int)IscsiError.NoObjectsFound);
        Assert.Equal("no objects found", IscsiErrors.Message(IscsiError.NoObjectsFound));
        Assert.Equal("could not connect to iscsid", IscsiErrors.Message(IscsiError.IscsidNotConnected));
        Assert.Equal("iscsid request timed out", IscsiErrors.Message(IscsiError.RequestTimedOut));
        Assert.Equal(34, Enum.GetValues<IscsiError>().Length);
    }
}
