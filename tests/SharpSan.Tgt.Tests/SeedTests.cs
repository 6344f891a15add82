using System.Net;
using SharpSan.Initiator;

namespace SharpSan.Tgt.Tests;

/// <summary>
/// The tgt halves of seeds 001 (Korean) and 004 (Japanese), typed as shown (device paths and
/// addresses adapted), against a real sharpsand: each command works, the target is discovered and
/// serves I/O, and `tgtadm --op show` prints what the seed's transcript shows.
/// </summary>
public sealed class SeedTests
{
    [Fact]
    public async Task Seed_001_tgtadm_target_lun_bind_then_discovery_and_io()
    {
        await using var daemon = await LiveSharpsand.StartAsync();
        // The seed's 1.5 GB logical volume /dev/myVG/lvol0 (fdisk: 1572864000 bytes), here a sparse file.
        var lv = daemon.Dir.File("lvol0");
        using (var f = File.Create(lv)) f.SetLength(1572864000);

        await daemon.TgtadmOkAsync("--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", "1", "-T", "iqn.joinc.com.example:storage.disk1");
        var show = await daemon.TgtadmOkAsync("--lld", "iscsi", "--op", "show", "--mode", "target");
        Assert.Null(SeedTranscript.Difference(show, SeedTranscript.Load("seed001-show-target.txt")));

        await daemon.TgtadmOkAsync("--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", "1", "-b", lv);
        show = await daemon.TgtadmOkAsync("--lld", "iscsi", "--op", "show", "--mode", "target");
        Assert.Null(SeedTranscript.Difference(show, SeedTranscript.Load("seed001-show-lun.txt")));
        Assert.Contains("Size: 1573 MB, Block size: 512", show); // the seed's own figure for this size

        await daemon.TgtadmOkAsync("--lld", "iscsi", "--op", "bind", "--mode", "target", "--tid", "1", "-I", "ALL");

        // iscsiadm --mode discovery --type sendtargets --portal ...: "ADDRESS:PORT,1 iqn.joinc.com.example:storage.disk1"
        var portal = new IPEndPoint(IPAddress.Loopback, daemon.Port);
        var options = new InitiatorOptions { InitiatorName = "iqn.1993-08.org.debian:01:378a830d17c", LoginTimeout = TimeSpan.FromSeconds(20) };
        var found = await IscsiDiscovery.SendTargetsAsync(portal, options);
        Assert.Contains(found, t => t.TargetName == "iqn.joinc.com.example:storage.disk1");

        // iscsiadm --login, then the disk is used (mkfs, mount): here a write read back.
        await using var session = await IscsiSession.LoginAsync(portal, "iqn.joinc.com.example:storage.disk1", options);
        var disk = await BlockDevice.OpenAsync(session, 1);
        Assert.Equal(1572864000L, disk.SizeBytes);
        var data = new byte[4096];
        Random.Shared.NextBytes(data);
        await disk.WriteAsync(2048, data, fua: true);
        var back = new byte[4096];
        await disk.ReadAsync(2048, back);
        Assert.Equal(data, back);
        await session.LogoutAsync();
    }

    [Fact]
    public async Task Seed_004_tgtadm_with_equals_options_then_show_with_a_logged_in_initiator()
    {
        await using var daemon = await LiveSharpsand.StartAsync();
        var image = daemon.Dir.File("disk.img");
        using (var f = File.Create(image)) f.SetLength(100 << 20);

        await daemon.TgtadmOkAsync("--lld", "iscsi", "--op", "new", "--mode=target", "--tid=1", "--targetname", "iqn.2008-09.com.example:server.target1");
        await daemon.TgtadmOkAsync("--lld", "iscsi", "--op", "new", "--mode=logicalunit", "--tid=1", "--lun=1", "-b", image);
        await daemon.TgtadmOkAsync("--lld", "iscsi", "--op", "bind", "--mode=target", "--tid=1", "--initiator-address=ALL");

        // iscsiadm -m discovery --type sendtargets -p 127.0.0.1
        var portal = new IPEndPoint(IPAddress.Loopback, daemon.Port);
        var options = new InitiatorOptions { InitiatorName = "iqn.1994-05.com.redhat:3db1a6cd082", LoginTimeout = TimeSpan.FromSeconds(20) };
        var found = await IscsiDiscovery.SendTargetsAsync(portal, options);
        Assert.Contains(found, t => t.TargetName == "iqn.2008-09.com.example:server.target1");

        // The seed's show was taken with the initiator logged in: "I_T nexus: 1 ... IP Address: 127.0.0.1".
        await using var session = await IscsiSession.LoginAsync(portal, "iqn.2008-09.com.example:server.target1", options);
        var show = await daemon.TgtadmOkAsync("--ll", "iscsi", "--op", "show", "--mode", "target");
        Assert.Null(SeedTranscript.Difference(show, SeedTranscript.Load("seed004-show.txt")));
        Assert.Contains("            Initiator: iqn.1994-05.com.redhat:3db1a6cd082 alias: none\n            Connection: 0\n                IP Address: 127.0.0.1\n", show);
        Assert.Contains("Size: 105 MB, Block size: 512", show);

        // A target with an I_T nexus is not deleted without --force (tgt: "this target is still active").
        var delete = await daemon.TgtadmAsync("--lld", "iscsi", "--op", "delete", "--mode", "target", "--tid", "1");
        Assert.Equal((22, "tgtadm: this target is still active\n"), (delete.ExitCode, delete.Stderr));
        await session.LogoutAsync();
    }

    [Fact]
    public async Task Seed_004_targets_conf_then_service_reload_then_show()
    {
        await using var daemon = await LiveSharpsand.StartAsync();
        var image = daemon.Dir.File("disk.img"); // the seed's /var/iscsi/disk.img
        using (var f = File.Create(image)) f.SetLength(100 << 20);
        var conf = daemon.Dir.File("targets.conf"); // the seed's /etc/tgt/targets.conf
        File.WriteAllText(conf, $"""
            <target iqn.2008-09.com.example:server.target1>
                backing-store {image}
            </target>

            """);

        // service tgt reload: tgt.service's ExecReload (packaging/tgt.service).
        var reload = await daemon.TgtAdminAsync("--update", "ALL", "-c", conf);
        Assert.True(reload.ExitCode == 0, reload.ToString());

        var portal = new IPEndPoint(IPAddress.Loopback, daemon.Port);
        var options = new InitiatorOptions { InitiatorName = "iqn.1994-05.com.redhat:3db1a6cd082", LoginTimeout = TimeSpan.FromSeconds(20) };
        await using var session = await IscsiSession.LoginAsync(portal, "iqn.2008-09.com.example:server.target1", options);
        var show = await daemon.TgtadmOkAsync("--ll", "iscsi", "--op", "show", "--mode", "target");
        Assert.Null(SeedTranscript.Difference(show, SeedTranscript.Load("seed004-show.txt")));
        Assert.StartsWith("Target 1: iqn.2008-09.com.example:server.target1\n", show);

        // A second reload with the file unchanged changes nothing, and the session stays.
        using var client = daemon.Client();
        var generation = (await client.GetConfigAsync()).Generation;
        Assert.Equal(0, (await daemon.TgtAdminAsync("--update", "ALL", "-c", conf)).ExitCode);
        Assert.Equal(generation, (await client.GetConfigAsync()).Generation);
        Assert.Contains(await client.GetSessionsAsync(), s => s.TargetName == "iqn.2008-09.com.example:server.target1");
        await session.LogoutAsync();
    }
}
