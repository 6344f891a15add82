using System.Net;
using SharpSan.Config;
using SharpSan.Initiator;
using SharpSan.Protocol;

namespace SharpSan.Tgt.Tests;

/// <summary>tgt-admin with targets.conf against a live sharpsand.</summary>
public sealed class TgtAdminTests
{
    private static string Image(LiveSharpsand d, string name, long size)
    {
        var path = d.Dir.File(name);
        using var f = File.Create(path);
        f.SetLength(size);
        return path;
    }

    private static string Conf(LiveSharpsand d, string text)
    {
        var path = d.Dir.File("targets.conf");
        File.WriteAllText(path, text.Replace("{dir}", d.Dir.Path));
        return path;
    }

    private static string TwoTargets => """
        # CHAP both ways on one target; address ACLs and two LUNs on the other
        <target iqn.2001-04.com.example:chap>
            backing-store {dir}/chap.img
            incominguser joe joes-secret-12
            outgoinguser tgt tgts-secret-123
        </target>
        <target iqn.2001-04.com.example:acl>
            <backing-store {dir}/one.img>
                lun 1
            </backing-store>
            <backing-store {dir}/two.img>
                lun 2
                write-cache off
                vendor_id ACME
            </backing-store>
            initiator-address 127.0.0.1
            initiator-address 10.0.0.0/8
            MaxRecvDataSegmentLength 65536
        </target>
        """;

    [Fact]
    public async Task Execute_loads_targets_with_chap_address_acls_and_two_luns()
    {
        await using var d = await LiveSharpsand.StartAsync();
        foreach (var n in new[] { "chap.img", "one.img", "two.img" }) Image(d, n, 16 << 20);
        var run = await d.TgtAdminAsync("--execute", "-c", Conf(d, TwoTargets));
        Assert.True(run.ExitCode == 0, run.ToString());

        var show = await d.TgtadmOkAsync("--op", "show", "--mode", "target");
        // tgt-admin takes targets in name order: acl is tid 1, chap tid 2.
        Assert.StartsWith("Target 1: iqn.2001-04.com.example:acl\n", show);
        Assert.Contains("Target 2: iqn.2001-04.com.example:chap\n", show);
        Assert.Contains("    Account information:\n        joe\n        tgt (outgoing)\n    ACL information:\n        ALL\n", show);
        Assert.Contains("    ACL information:\n        127.0.0.1\n        10.0.0.0/8\n", show);
        var config = await d.ConfigAsync();
        var two = config.StorageObjects.Single(s => s.Name == "tgt1_lun2");
        Assert.Equal((false, "ACME"), (two.WriteBack, two.Device.VendorId)); // write-cache off: write-through
        Assert.True(config.StorageObjects.Single(s => s.Name == "tgt1_lun1").WriteBack);
        Assert.Equal("65536", config.Targets.Single(t => t.Tgt?.Tid == 1).Tpgs[0].Parameters["MaxRecvDataSegmentLength"]);

        var portal = new IPEndPoint(IPAddress.Loopback, d.Port);
        var options = new InitiatorOptions { InitiatorName = "iqn.1994-05.com.redhat:client", LoginTimeout = TimeSpan.FromSeconds(20) };
        await using (var s = await IscsiSession.LoginAsync(portal, "iqn.2001-04.com.example:acl", options)) await s.LogoutAsync();
        options.Chap = new ChapCredentials("joe", "joes-secret-12", "tgt", "tgts-secret-123");
        await using (var s = await IscsiSession.LoginAsync(portal, "iqn.2001-04.com.example:chap", options)) await s.LogoutAsync();

        // --execute again: both exist, nothing changes.
        var generation = await GenerationAsync(d);
        Assert.Equal(0, (await d.TgtAdminAsync("-e", "-c", d.Dir.File("targets.conf"))).ExitCode);
        Assert.Equal(generation, await GenerationAsync(d));
    }

    [Fact]
    public async Task A_cd_from_targets_conf_loads()
    {
        await using var d = await LiveSharpsand.StartAsync();
        Image(d, "disc.iso", 10 << 20);
        Image(d, "disk.img", 16 << 20);
        var run = await d.TgtAdminAsync("-e", "-c", Conf(d, """
            <target iqn.2001-04.com.example:cd>
                backing-store {dir}/disk.img
                <backing-store {dir}/disc.iso>
                    device-type cd
                    lun 5
                </backing-store>
            </target>
            """));
        if (run.Stderr.Contains("2048 is not supported", StringComparison.Ordinal))
            Assert.Skip("this sharpsand has no CD-ROM device yet (it refuses 2048-byte blocks)");
        Assert.True(run.ExitCode == 0, run.ToString());
        var show = await d.TgtadmOkAsync("--op", "show", "--mode", "target");
        Assert.Contains("        LUN: 5\n            Type: cd/dvd\n", show);
        Assert.Contains("            Backing store type: mmc\n", show);
    }

    [Fact]
    public async Task Update_ALL_after_editing_one_target_leaves_a_libiscsi_client_of_another_undisturbed()
    {
        Requirement.SkipUnlessMet(Requirement.Tools("qemu-io"));
        await using var d = await LiveSharpsand.StartAsync();
        foreach (var n in new[] { "a.img", "a2.img", "b.img" }) Image(d, n, 32 << 20);
        var conf = Conf(d, """
            <target iqn.2001-04.com.example:a>
                backing-store {dir}/a.img
            </target>
            <target iqn.2001-04.com.example:b>
                backing-store {dir}/b.img
            </target>
            """);
        Assert.Equal(0, (await d.TgtAdminAsync("-e", "-c", conf)).ExitCode);

        await using var qemu = QemuIo.Start($"iscsi://127.0.0.1:{d.Port}/iqn.2001-04.com.example:b/1");
        var wrote = await qemu.RunAsync("write -P 0xa5 0 4M", "wrote ");
        Assert.Contains("wrote 4194304/4194304 bytes", wrote);
        using var client = d.Client();
        var before = (await client.GetSessionsAsync()).Single(s => s.TargetName == "iqn.2001-04.com.example:b");
        var bBefore = TargetJson(await d.ConfigAsync(), "iqn.2001-04.com.example:b");

        // Edit target a only (a second LUN, an address ACL), then reload as "service tgt reload" does.
        File.WriteAllText(conf, File.ReadAllText(conf).Replace("backing-store " + d.Dir.File("a.img"),
            $"backing-store {d.Dir.File("a.img")}\n    backing-store {d.Dir.File("a2.img")}\n    initiator-address 127.0.0.1"));
        var update = await d.TgtAdminAsync("--update", "ALL", "-c", conf);
        Assert.True(update.ExitCode == 0, update.ToString());

        var config = await d.ConfigAsync();
        Assert.Equal(2, config.Targets.Single(t => t.Wwn == "iqn.2001-04.com.example:a").Tpgs[0].Luns.Count);
        Assert.Equal(bBefore, TargetJson(config, "iqn.2001-04.com.example:b"));
        var during = (await client.GetSessionsAsync()).Single(s => s.TargetName == "iqn.2001-04.com.example:b");
        Assert.Equal((before.Tsih, before.Isid), (during.Tsih, during.Isid));

        var read = await qemu.RunAsync("read -P 0xa5 0 4M", "read ");
        Assert.Contains("read 4194304/4194304 bytes", read);
        var wrote2 = await qemu.RunAsync("write -P 0x5a 4M 4M", "wrote ");
        Assert.Contains("wrote 4194304/4194304 bytes", wrote2);
        Assert.Contains("read 4194304/4194304 bytes", await qemu.RunAsync("read -P 0x5a 4M 4M", "read "));
        Assert.Equal(0, await qemu.QuitAsync());
        Assert.DoesNotContain("fail", qemu.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("error", qemu.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_target_in_use_is_updated_only_with_force_and_keeps_its_session()
    {
        await using var d = await LiveSharpsand.StartAsync();
        Image(d, "a.img", 16 << 20);
        Image(d, "a2.img", 16 << 20);
        var conf = Conf(d, "<target iqn.2001-04.com.example:a>\n    backing-store {dir}/a.img\n</target>\n");
        Assert.Equal(0, (await d.TgtAdminAsync("-e", "-c", conf)).ExitCode);
        var portal = new IPEndPoint(IPAddress.Loopback, d.Port);
        await using var session = await IscsiSession.LoginAsync(portal, "iqn.2001-04.com.example:a",
            new InitiatorOptions { InitiatorName = "iqn.1994-05.com.redhat:client", LoginTimeout = TimeSpan.FromSeconds(20) });
        File.AppendAllText(conf, "<target iqn.2001-04.com.example:a>\n    backing-store {dir}/a2.img\n</target>\n".Replace("{dir}", d.Dir.Path));

        var run = await d.TgtAdminAsync("--update", "ALL", "-c", conf, "-v");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("# Target with tid 1 (iqn.2001-04.com.example:a) is in use, it won't be updated.\n", run.Stdout);
        Assert.Single((await d.ConfigAsync()).Targets[0].Tpgs[0].Luns);

        Assert.Equal(0, (await d.TgtAdminAsync("--update", "ALL", "-c", conf, "--force")).ExitCode);
        Assert.Equal(2, (await d.ConfigAsync()).Targets[0].Tpgs[0].Luns.Count);
        var disk = await BlockDevice.OpenAsync(session, 2); // the same session sees the new LUN
        Assert.Equal(16 << 20, disk.SizeBytes);
        await session.LogoutAsync();
    }

    [Fact]
    public async Task A_malformed_file_changes_nothing_and_names_file_and_line()
    {
        await using var d = await LiveSharpsand.StartAsync();
        Image(d, "a.img", 16 << 20);
        var conf = Conf(d, "<target iqn.2001-04.com.example:a>\n    backing-store {dir}/a.img\n</target>\n");
        Assert.Equal(0, (await d.TgtAdminAsync("-e", "-c", conf)).ExitCode);
        var generation = await GenerationAsync(d);
        File.WriteAllText(conf, "<target iqn.2001-04.com.example:a>\n    backing-store /x\n    initiator-adress 10.0.0.1\n</target>\n");
        var run = await d.TgtAdminAsync("--update", "ALL", "-c", conf);
        Assert.Equal((1, $"tgt-admin: {conf}:3: unknown option initiator-adress in <target iqn.2001-04.com.example:a>\n"), (run.ExitCode, run.Stderr));
        Assert.Equal(generation, await GenerationAsync(d));

        // A command tgtd would refuse stops the run before anything reaches the daemon.
        File.WriteAllText(conf, "<target iqn.2001-04.com.example:a>\n    backing-store {dir}/a.img\n    MaxBurstLength 12\n</target>\n<target iqn.2001-04.com.example:new>\n</target>\n".Replace("{dir}", d.Dir.Path));
        run = await d.TgtAdminAsync("--update", "ALL", "-c", conf);
        Assert.Equal(22, run.ExitCode);
        Assert.Contains("exited with code: 22.\n", run.Stdout);
        Assert.Equal("tgtadm: invalid request\n", run.Stderr);
        Assert.Equal(generation, await GenerationAsync(d));
        Assert.Equal(2, (await d.TgtAdminAsync("-c", d.Dir.File("none.conf"), "-e")).ExitCode);
    }

    [Fact]
    public async Task Delete_offline_ready_dump_show_and_pretend()
    {
        await using var d = await LiveSharpsand.StartAsync();
        Image(d, "a.img", 16 << 20);
        var conf = Conf(d, TwoTargets.Replace("{dir}/chap.img", "{dir}/a.img").Replace("{dir}/one.img", "{dir}/missing.img").Replace("{dir}/two.img", "{dir}/missing2.img"));
        var pretend = await d.TgtAdminAsync("-e", "-p", "-c", conf);
        Assert.Contains("tgtadm -C 0 --lld iscsi --op new --mode target --tid 1 -T iqn.2001-04.com.example:acl\n", pretend.Stdout);
        Assert.Empty((await d.ConfigAsync()).Targets);

        var run = await d.TgtAdminAsync("-e", "-c", conf, "-v");
        Assert.Contains($"# Skipping device: {d.Dir.File("missing.img")}\n", run.Stdout);
        Assert.Equal(2, (await d.ConfigAsync()).Targets.Count);
        Assert.Equal($"""
            default-driver iscsi

            <target iqn.2001-04.com.example:acl>
            	initiator-address 127.0.0.1
            	initiator-name 10.0.0.0/8
            </target>

            <target iqn.2001-04.com.example:chap>
            	backing-store {d.Dir.File("a.img")}
            	incominguser joe PLEASE_CORRECT_THE_PASSWORD
            	outgoinguser tgt PLEASE_CORRECT_THE_PASSWORD
            </target>


            """, (await d.TgtAdminAsync("--dump")).Stdout);
        Assert.StartsWith("Target 1: iqn.2001-04.com.example:acl\n", (await d.TgtAdminAsync("-s")).Stdout);

        Assert.Equal(0, (await d.TgtAdminAsync("--offline", "ALL")).ExitCode);
        Assert.All((await d.ConfigAsync()).Targets, t => Assert.Equal("offline", t.Tgt!.State));
        Assert.Equal(0, (await d.TgtAdminAsync("--ready", "tid=2")).ExitCode);
        Assert.Equal("ready", (await d.ConfigAsync()).Targets.Single(t => t.Tgt!.Tid == 2).Tgt!.State);
        Assert.Equal(0, (await d.TgtAdminAsync("--delete", "iqn.2001-04.com.example:chap")).ExitCode);
        Assert.Single((await d.ConfigAsync()).Targets);
        Assert.Equal(0, (await d.TgtAdminAsync("--delete", "ALL")).ExitCode);
        Assert.Empty((await d.ConfigAsync()).Targets);
        Assert.Empty((await d.ConfigAsync()).StorageObjects);
    }

    [Fact]
    public async Task A_reload_leaves_targets_from_an_ietd_conf_alone()
    {
        // An IET target in the tree (as `sharpsand --import-to` writes one): tid 1, no controller LUN.
        var initial = new SanConfig();
        var iet = new TargetConfig { Wwn = "iqn.2001-04.org.ultimana:storage.disk1", Tgt = new TgtTargetConfig { Tid = 1, ControllerLun = false } };
        iet.Tgt.InitiatorAddresses.Add("ALL");
        iet.Tpgs.Add(new TpgConfig { Tag = 1, GenerateNodeAcls = true, DemoModeWriteProtect = false });
        initial.Targets.Add(iet);
        await using var d = await LiveSharpsand.StartAsync(initial);
        Image(d, "a.img", 16 << 20);
        var conf = Conf(d, "<target iqn.2001-04.com.example:a>\n    backing-store {dir}/a.img\n</target>\n");
        Assert.Equal(0, (await d.TgtAdminAsync("--update", "ALL", "-c", conf)).ExitCode);
        Assert.Equal(0, (await d.TgtAdminAsync("-e", "-c", conf)).ExitCode);
        Assert.Equal(0, (await d.TgtAdminAsync("--delete", "ALL")).ExitCode);
        Assert.Equal(0, (await d.TgtAdminAsync("--update", "ALL", "-c", conf)).ExitCode);
        var config = await d.ConfigAsync();
        Assert.Equal(1, config.Targets.Single(t => t.Wwn == "iqn.2001-04.org.ultimana:storage.disk1").Tgt!.Tid);
        Assert.Equal(2, config.Targets.Single(t => t.Wwn == "iqn.2001-04.com.example:a").Tgt!.Tid);
    }

    private static async Task<long> GenerationAsync(LiveSharpsand d)
    {
        using var client = d.Client();
        return (await client.GetConfigAsync()).Generation;
    }

    /// <summary>A target and its storage objects as saveconfig.json text.</summary>
    private static string TargetJson(SanConfig config, string name)
    {
        var target = config.Targets.Single(t => t.Wwn == name);
        var alone = new SanConfig();
        var paths = target.Tpgs.SelectMany(t => t.Luns).Select(l => l.StorageObject).ToHashSet();
        alone.StorageObjects.AddRange(config.StorageObjects.Where(s => paths.Contains(s.Path)));
        alone.Targets.Add(target);
        return SaveConfigWriter.Serialize(alone);
    }
}
