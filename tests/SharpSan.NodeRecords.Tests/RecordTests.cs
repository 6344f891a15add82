
namespace SharpSan.NodeRecords.Tests;

public class RecordTests
{
    private const string Target = "iqn.2003-01.org.linux-iscsi.host:sn.1234";

    private static NodeRecord Discovered()
    {
        var r = NodeRecord.Create(Target, "127.0.0.1", 3260, 1);
        r.DiscoveryAddress = "127.0.0.1";
        r.DiscoveryPort = 3260;
        r.DiscoveryType = "send_targets";
        return r;
    }

    [Fact]
    public void Show_format_matches_open_iscsi_byte_for_byte()
    {
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Expected", "node-show.txt"));
        Assert.Equal(expected, Discovered().Format(RecordFormatMode.ShowMasked));
    }

    [Fact]
    public void File_format_leaves_empty_values_out_and_keeps_secrets()
    {
        var r = Discovered();
        r.AuthMethod = "CHAP";
        r.Password = "s3cret";
        var text = r.Format(RecordFormatMode.File);
        Assert.StartsWith("# BEGIN RECORD 2.1.8\nnode.name = " + Target + "\n", text);
        Assert.EndsWith("node.conn[0].iscsi.OFMarker = No\n# END RECORD\n", text);
        Assert.DoesNotContain("<empty>", text);
        Assert.DoesNotContain("iface.hwaddress", text);
        Assert.Contains("node.session.auth.password = s3cret\n", text);
        Assert.DoesNotContain("password_length", text);
    }

    [Fact]
    public void Record_round_trips_through_its_file_text()
    {
        var r = Discovered();
        var warnings = new List<string>();
        Assert.Null(r.Update("node.session.auth.authmethod", "CHAP", warnings));
        Assert.Null(r.Update("node.session.auth.username", "user", warnings));
        Assert.Null(r.Update("node.session.auth.password", "pass word", warnings));
        Assert.Null(r.Update("node.conn[0].iscsi.HeaderDigest", "CRC32C,None", warnings));
        Assert.Null(r.Update("node.session.timeo.replacement_timeout", "5", warnings));
        var back = NodeRecord.Parse(r.Format(RecordFormatMode.File));
        Assert.Equal(r.Format(RecordFormatMode.ShowSecrets), back.Format(RecordFormatMode.ShowSecrets));
        Assert.Equal("pass word", back.Password);
        Assert.Equal(5, back.GetInteger("node.session.timeo.replacement_timeout"));
        Assert.Equal("CRC32C,None", back["node.conn[0].iscsi.HeaderDigest"]);
    }

    [Fact]
    public void Defaults_are_those_of_iscsid_conf()
    {
        var r = new NodeRecord();
        Assert.Equal(120, r.GetInteger("node.session.timeo.replacement_timeout"));
        Assert.Equal(5, r.GetInteger("node.conn[0].timeo.noop_out_interval"));
        Assert.Equal(5, r.GetInteger("node.conn[0].timeo.noop_out_timeout"));
        Assert.Equal(15, r.GetInteger("node.conn[0].timeo.login_timeout"));
        Assert.False(r.GetYesNo("node.session.iscsi.InitialR2T"));
        Assert.True(r.GetYesNo("node.session.iscsi.ImmediateData"));
        Assert.Equal(262144, r.GetInteger("node.session.iscsi.FirstBurstLength"));
        Assert.Equal(16776192, r.GetInteger("node.session.iscsi.MaxBurstLength"));
        Assert.Equal(262144, r.GetInteger("node.conn[0].iscsi.MaxRecvDataSegmentLength"));
        Assert.Equal(32, r.GetInteger("node.session.queue_depth"));
        Assert.Equal(128, r.GetInteger("node.session.cmds_max"));
    }

    [Fact]
    public void Choice_values_must_match_and_chap_algs_ignore_unknown_words()
    {
        var r = new NodeRecord();
        var warnings = new List<string>();
        Assert.Equal("unknown value format 'chap' for parameter name 'node.session.auth.authmethod'",
            r.Update("node.session.auth.authmethod", "chap", warnings));
        Assert.Equal("None", r.AuthMethod);
        Assert.Null(r.Update("node.session.auth.chap_algs", "SHA256, MD5,BOGUS,MD5", warnings));
        Assert.Equal("SHA256,MD5", r["node.session.auth.chap_algs"]);
        Assert.Equal(["Ignoring unknown value 'BOGUS' for 'node.session.auth.chap_algs'", "Ignoring repeated value 'MD5' for 'node.session.auth.chap_algs'"], warnings);
    }

    [Fact]
    public void Reads_records_written_by_open_iscsi_in_its_file_order()
    {
        // usr/idbm.c writes iface.hwaddress first and only non-empty values.
        var text = "# BEGIN RECORD 2.1.4\nnode.name = iqn.x:t\nnode.tpgt = 3\niface.hwaddress = 00:11:22:33:44:55\n" +
                   "node.session.auth.authmethod = CHAP\nnode.conn[0].address = 10.1.1.1\nnode.conn[0].port = 3261\n# END RECORD\n";
        var r = NodeRecord.Parse(text);
        Assert.Equal(("iqn.x:t", 3, "10.1.1.1", 3261), (r.TargetName, r.Tpgt, r.Address, r.Port));
        Assert.Equal("00:11:22:33:44:55", r["iface.hwaddress"]);
        Assert.Equal("CHAP", r.AuthMethod);
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1", -1, -1)]
    [InlineData("10.0.0.1:3261", "10.0.0.1", 3261, -1)]
    [InlineData("10.0.0.1:3260,2", "10.0.0.1", 3260, 2)]
    [InlineData("[fe80::1]:3262,5", "fe80::1", 3262, 5)]
    [InlineData("fe80::1", "fe80::1", -1, -1)]
    [InlineData("storage:3263", "storage", 3263, -1)]
    public void Portal_parses_like_str_to_ipport(string text, string address, int port, int tpgt) =>
        Assert.Equal((address, port, tpgt), Portal.Parse(text));

    [Fact]
    public void Database_writes_open_iscsi_layout_with_private_atomic_files()
    {
        using var h = new Harness();
        var r = Discovered();
        h.Database.WriteNode(r);
        var path = Path.Combine(h.Root, "nodes", Target, "127.0.0.1,3260,1", "default");
        Assert.True(File.Exists(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, ".*"));
        var all = h.Database.ReadAllNodes();
        Assert.Equal(r.Format(RecordFormatMode.ShowSecrets), Assert.Single(all).Format(RecordFormatMode.ShowSecrets));
        h.Database.DeleteNode(r);
        Assert.False(Directory.Exists(Path.Combine(h.Root, "nodes", Target)));
    }

    [Fact]
    public void Initiator_name_is_read_or_generated()
    {
        using var h = new Harness();
        var path = h.Database.InitiatorNamePath;
        Assert.Null(InitiatorName.Read(path));
        var name = InitiatorName.ReadOrCreate(path);
        Assert.Matches("^iqn\\.2016-04\\.com\\.open-iscsi:[0-9a-f]{12}$", name);
        Assert.Equal(name, InitiatorName.Read(path));
        Assert.Equal(name, InitiatorName.ReadOrCreate(path));
        Assert.Matches("^iqn\\.2004-10\\.com\\.ubuntu:01:[0-9a-f]{12}$", InitiatorName.Generate(InitiatorName.UbuntuPrefix));
        File.WriteAllText(path, "## comment\nInitiatorName=iqn.1993-08.org.debian:01:378a830d17c\n");
        Assert.Equal("iqn.1993-08.org.debian:01:378a830d17c", InitiatorName.Read(path));
    }
}
