using SharpSan.Config;
using SharpSan.Config.Tgt;

namespace SharpSan.Tgt.Tests;

/// <summary>targets.conf as tgt-admin's parser reads it, and one-line "FILE:LINE: reason" errors.</summary>
public sealed class TargetsConfReaderTests
{
    [Fact]
    public void Reads_targets_stores_options_and_globals()
    {
        var doc = TargetsConfReader.Parse("""
            # comment
            default-driver iscsi
            ignore-errors = yes
            <target iqn.2008-09.com.example:server.target5>
                <backing-store /dev/sdb1>
                    vendor_id back1   # a comment
                    scsi_sn SERIAL
                    lun 3
                </backing-store>
                direct-store /dev/sdd
                vendor_id MyCompany Inc.
                initiator-address 192.168.100.1
                initiator-address 192.168.200.5
                incominguser user1 secretpass12
                MaxRecvDataSegmentLength 8192
                scsi_id long \
                   value
                product_id a\#b
            </target>
            <target iqn.2008-09.com.example:server.target5>
                backing-store "/dev/quoted path"
            </target>
            """, "/etc/tgt/targets.conf");
        Assert.Equal(["default-driver", "ignore-errors"], doc.Globals.Select(g => g.Key));
        Assert.Equal("yes", doc.Global("ignore-errors")!.Value);
        var t = Assert.Single(doc.Targets); // blocks of one target merge
        Assert.Equal(("iqn.2008-09.com.example:server.target5", 4), (t.Name, t.Line));
        Assert.Equal(["/dev/sdb1", "/dev/sdd", "/dev/quoted path"], t.Stores.Select(s => s.Path));
        Assert.Equal([false, true, false], t.Stores.Select(s => s.Direct));
        Assert.Equal(("back1", "3"), (t.Stores[0].Find("vendor_id")!.Value, t.Stores[0].Find("lun")!.Value));
        Assert.Equal("MyCompany Inc.", t.Find("vendor_id")!.Value);
        Assert.Equal(["192.168.100.1", "192.168.200.5"], t.All("initiator-address").Select(o => o.Value));
        Assert.Equal("long value", t.Find("scsi_id")!.Value);
        Assert.Equal("a#b", t.Find("product_id")!.Value);
        Assert.Equal("/etc/tgt/targets.conf:14", t.Find("incominguser")!.Where);
    }

    [Theory]
    [InlineData("<target iqn.a:b>\nbacking-store /x\n", "targets.conf:1: <target iqn.a:b> is not closed")]
    [InlineData("<target iqn.a:b>\n<backing-store /x>\nlun 1\n</target>\n", "targets.conf:4: </target> does not close an open block")]
    [InlineData("<target iqn.a:b>\n  initator-address 10.0.0.1\n</target>\n", "targets.conf:2: unknown option initator-address in <target iqn.a:b>")]
    [InlineData("<target iqn.a:b>\n  backing-store\n</target>\n", "targets.conf:2: option backing-store has a missing value")]
    [InlineData("<target iqn.a:b>\n  lun 1\n  lun 2\n</target>\n", "targets.conf:3: multiple 'lun' definitions are not allowed")]
    [InlineData("default-driver iscsi\ndefault-driver iser\n", "targets.conf:2: multiple default-driver definitions are not allowed")]
    [InlineData("backing-store /x\n", "targets.conf:1: backing-store belongs in a <target> block")]
    [InlineData("<target iqn.a:b>\n<target iqn.c:d>\n", "targets.conf:2: <target iqn.c:d> inside <target iqn.a:b>")]
    [InlineData("<lun 1>\n</lun>\n", "targets.conf:1: unknown block <lun> (tgt-admin knows <target>, <backing-store>, <direct-store>)")]
    [InlineData("<target iqn.a:b>\n<backing-store /x>\ninitiator-address ALL\n</backing-store>\n</target>\n",
        "targets.conf:3: initiator-address cannot be set for one LUN (<backing-store> takes LUN settings)")]
    [InlineData("</target>\n", "targets.conf:1: </target> does not close an open block")]
    [InlineData("include /nonexistent/file.conf\n", "targets.conf:1: cannot include /nonexistent/file.conf: no such file or folder")]
    public void Malformed_files_fail_with_file_line_and_reason(string text, string message)
    {
        var ex = Assert.Throws<ConfigException>(() => TargetsConfReader.Parse(text, "targets.conf"));
        Assert.Equal(message, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Includes_globs_folders_and_relative_paths_and_an_empty_glob_is_fine()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-tgtconf-");
        Directory.CreateDirectory(dir.File("conf.d"));
        Directory.CreateDirectory(dir.File("more"));
        File.WriteAllText(dir.File("conf.d/b.conf"), "<target iqn.2001-04.com.example:b>\n backing-store /b\n</target>\n");
        File.WriteAllText(dir.File("conf.d/a.conf"), "<target iqn.2001-04.com.example:a>\n backing-store /a\n</target>\n");
        File.WriteAllText(dir.File("conf.d/.hidden.conf"), "garbage\n");
        File.WriteAllText(dir.File("more/x"), "<target iqn.2001-04.com.example:x>\n backing-store /x\n</target>\n");
        File.WriteAllText(dir.File("targets.conf"), "include conf.d/*.conf\ninclude more\ninclude /nonexistent/*.conf\n");
        var doc = TargetsConfReader.Read(dir.File("targets.conf"));
        Assert.Equal(["iqn.2001-04.com.example:a", "iqn.2001-04.com.example:b", "iqn.2001-04.com.example:x"], doc.Targets.Select(t => t.Name));
        Assert.Equal(dir.File("conf.d/a.conf") + ":1", doc.Targets[0].Where);

        File.WriteAllText(dir.File("conf.d/c.conf"), "<target iqn.2001-04.com.example:c>\n bogus 1\n</target>\n");
        var ex = Assert.Throws<ConfigException>(() => TargetsConfReader.Read(dir.File("targets.conf")));
        Assert.Equal($"{dir.File("conf.d/c.conf")}:2: unknown option bogus in <target iqn.2001-04.com.example:c>", ex.Message);

        File.WriteAllText(dir.File("conf.d/c.conf"), $"include {dir.File("targets.conf")}\n");
        Assert.Contains("includes itself", Assert.Throws<ConfigException>(() => TargetsConfReader.Read(dir.File("targets.conf"))).Message);
    }

    [Fact]
    public void The_example_file_of_tgt_reads()
    {
        // conf/examples/targets.conf.example of tgt 1.0.97, its unsupported examples commented out as shipped.
        var example = Path.Combine(AppContext.BaseDirectory, "Transcripts", "targets.conf.example");
        var doc = TargetsConfReader.Parse(File.ReadAllText(example).Replace("include /etc/tgt/temp/*.conf", ""), "targets.conf.example");
        Assert.Equal(9, doc.Targets.Count);
        Assert.Equal(["user1 secretpass12", "user2 secretpass23"], doc.Targets.Single(t => t.Name.EndsWith("target5")).All("incominguser").Select(o => o.Value));
    }
}
