using SharpSan.IscsiAdm.Backends;

namespace SharpSan.IscsiAdm.Tests;

public class SessionTests
{
    private const string Target = "iqn.2003-01.org.linux-iscsi.host:sn.1234";

    internal static SessionInfo Session(int sid) => new()
    {
        Sid = sid,
        TargetName = Target,
        Address = "127.0.0.1",
        Port = 3260,
        Tpgt = 1,
        IfaceInitiatorName = "iqn.2016-04.com.open-iscsi:0123456789ab",
        IfaceIpAddress = "127.0.0.1",
        Username = "alice",
        Password = "wonderland",
        Negotiated = new NegotiatedParameters
        {
            HeaderDigest = false, DataDigest = true, MaxRecvDataSegmentLength = 262144, MaxXmitDataSegmentLength = 65536,
            FirstBurstLength = 65536, MaxBurstLength = 262144, ImmediateData = true, InitialR2T = true, MaxOutstandingR2T = 1,
        },
        HostNumber = 2,
        Devices = [new AttachedDevice(0, 0, "sharpsan0")],
    };

    [Fact]
    public void No_sessions_exits_21()
    {
        using var h = new Harness();
        Assert.Equal((21, "", "iscsiadm: No active sessions.\n"), h.Run("-m session"));
    }

    [Fact]
    public void Flat_list()
    {
        using var h = new Harness();
        h.Sessions.Sessions.Add(Session(1));
        Assert.Equal((0, $"tcp: [1] 127.0.0.1:3260,1 {Target} (non-flash)\n", ""), h.Run("-m session"));
        Assert.Equal((0, $"tcp: [1] 127.0.0.1:3260,1 {Target} (non-flash)\n", ""), h.Run("-m session -P 0"));
    }

    [Fact]
    public void Print_level_3_matches_session_info_c()
    {
        using var h = new Harness();
        h.Sessions.Sessions.Add(Session(1));
        var expected =
            "iSCSI Transport Class version 2.0-870\n" +
            "version 2.1.8\n" +
            $"Target: {Target} (non-flash)\n" +
            "\tCurrent Portal: 127.0.0.1:3260,1\n" +
            "\tPersistent Portal: 127.0.0.1:3260,1\n" +
            "\t\t**********\n" +
            "\t\tInterface:\n" +
            "\t\t**********\n" +
            "\t\tIface Name: default\n" +
            "\t\tIface Transport: tcp\n" +
            "\t\tIface Initiatorname: iqn.2016-04.com.open-iscsi:0123456789ab\n" +
            "\t\tIface IPaddress: 127.0.0.1\n" +
            "\t\tIface HWaddress: <empty>\n" +
            "\t\tIface Netdev: <empty>\n" +
            "\t\tSID: 1\n" +
            "\t\tiSCSI Connection State: LOGGED IN\n" +
            "\t\tiSCSI Session State: LOGGED_IN\n" +
            "\t\tInternal iscsid Session State: NO CHANGE\n" +
            "\t\t*********\n" +
            "\t\tTimeouts:\n" +
            "\t\t*********\n" +
            "\t\tRecovery Timeout: 120\n" +
            "\t\tTarget Reset Timeout: 30\n" +
            "\t\tLUN Reset Timeout: 30\n" +
            "\t\tAbort Timeout: 15\n" +
            "\t\t*****\n" +
            "\t\tCHAP:\n" +
            "\t\t*****\n" +
            "\t\tusername: alice\n" +
            "\t\tpassword: ********\n" +
            "\t\tusername_in: <empty>\n" +
            "\t\tpassword_in: ********\n" +
            "\t\t************************\n" +
            "\t\tNegotiated iSCSI params:\n" +
            "\t\t************************\n" +
            "\t\tHeaderDigest: None\n" +
            "\t\tDataDigest: CRC32C\n" +
            "\t\tMaxRecvDataSegmentLength: 262144\n" +
            "\t\tMaxXmitDataSegmentLength: 65536\n" +
            "\t\tFirstBurstLength: 65536\n" +
            "\t\tMaxBurstLength: 262144\n" +
            "\t\tImmediateData: Yes\n" +
            "\t\tInitialR2T: Yes\n" +
            "\t\tMaxOutstandingR2T: 1\n" +
            "\t\t************************\n" +
            "\t\tAttached SCSI devices:\n" +
            "\t\t************************\n" +
            "\t\tHost Number: 2\tState: running\n" +
            "\t\tscsi2 Channel 00 Id 0 Lun: 0\n" +
            "\t\t\tAttached scsi disk sharpsan0\t\tState: running\n";
        Assert.Equal((0, expected, ""), h.Run("-m session -P 3"));
        Assert.Contains("\t\tpassword: wonderland\n", h.Run("-m session -P 3 -S").Out);
    }

    [Fact]
    public void Print_level_1_has_iface_and_states_only()
    {
        using var h = new Harness();
        h.Sessions.Sessions.Add(Session(1));
        h.Sessions.Sessions.Add(Session(2) with { Address = "127.0.0.2", PersistentAddress = "127.0.0.2" });
        var o = h.Run("-m session -P 1").Out;
        Assert.StartsWith($"Target: {Target} (non-flash)\n\tCurrent Portal: 127.0.0.1:3260,1\n", o);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(o, "Target: "));
        Assert.Contains("\tCurrent Portal: 127.0.0.2:3260,1\n", o);
        Assert.EndsWith("\t\tInternal iscsid Session State: NO CHANGE\n", o);
        Assert.DoesNotContain("Timeouts", o);
        Assert.Equal((7, "", "iscsiadm: Invalid info level 4. Try 0 - 3.\n"), h.Run("-m session -P 4"));
    }

    [Fact]
    public void Session_by_sid_and_logout()
    {
        using var h = new Harness();
        h.Sessions.Sessions.Add(Session(1));
        h.Sessions.Sessions.Add(Session(2));
        Assert.Equal((2, "", "iscsiadm: Could not get session info for sid 9\n"), h.Run("-m session -r 9 -P 1"));
        Assert.Equal(0, h.Run("-m session -r 2 -u").Code);
        Assert.Equal([2], h.Sessions.Logouts);
        Assert.Equal(0, h.Run("-m session -u").Code);
        Assert.Equal([2, 1, 2], h.Sessions.Logouts);
    }

    [Fact]
    public void Unavailable_iscsid_is_one_line_and_exit_20()
    {
        using var h = new Harness { SessionsOverride = new UnavailableSessionBackend(), DiscoveryOverride = new UnavailableDiscoveryBackend() };
        Assert.Equal((20, "", "iscsiadm: sessions need the SharpSAN iscsid, which is not available yet\n"), h.Run("-m session"));
        Assert.Equal((20, "", "iscsiadm: discovery needs the SharpSAN initiator, which is not available yet\niscsiadm: Could not perform SendTargets discovery: could not connect to iscsid\n"),
            h.Run("-m discovery -t st -p 10.0.0.1"));
    }
}
