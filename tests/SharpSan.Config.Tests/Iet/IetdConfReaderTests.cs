namespace SharpSan.Config.Tests.Iet;

/// <summary>Every ietd.conf directive IET documents, and what it becomes in the tree.</summary>
public sealed class IetdConfReaderTests : IDisposable
{
    private readonly IetFiles _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Seed_004_target_becomes_a_tgt_target_with_lun_0_on_the_default_portal()
    {
        var r = _f.Load($"""
            Target {IetFiles.Iqn}
                    Lun 0 Path={_f.Disk},Type=fileio
            """);
        var t = Assert.Single(r.Config.Targets);
        Assert.Equal(IetFiles.Iqn, t.Wwn);
        Assert.Equal(1, t.Tgt!.Tid);
        Assert.False(t.Tgt.ControllerLun);
        Assert.Equal(["ALL"], t.Tgt.InitiatorAddresses);
        var tpg = Assert.Single(t.Tpgs);
        Assert.Equal((ushort)1, tpg.Tag);
        Assert.True(tpg.GenerateNodeAcls);
        Assert.False(tpg.DemoModeWriteProtect);
        var portal = Assert.Single(tpg.Portals);
        Assert.Equal(("0.0.0.0", 3260), (portal.IpAddress, portal.Port));
        var lun = Assert.Single(tpg.Luns);
        Assert.Equal(0UL, lun.Index);
        Assert.Equal("/backstores/fileio/iet1_lun0", lun.StorageObject);
        var so = Assert.Single(r.Config.StorageObjects);
        Assert.Equal((LioFormat.FileIo, "iet1_lun0", _f.Disk, 0UL, false, 512), (so.Plugin, so.Name, so.Dev, so.Size, so.WriteBack, so.BlockSize));
        Assert.Equal(("IET", "VIRTUAL-DISK", "0"), (so.Device.VendorId, so.Device.ProductId, so.Device.ProductRevision));
        Assert.Empty(r.Notes);
        Assert.Empty(r.AccessFiles);
    }

    [Fact]
    public void Unit_serial_is_stable_for_a_target_and_lun()
    {
        var conf = $"Target {IetFiles.Iqn}\nLun 3 Path={_f.Disk}\n";
        var a = _f.Load(conf).Config.StorageObjects[0].Wwn;
        var b = _f.Load("# another file, same target\n" + conf).Config.StorageObjects[0].Wwn;
        Assert.Equal(a, b);
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", a);
    }

    [Fact]
    public void Comments_blank_lines_case_insensitive_directives_and_unindented_targets()
    {
        var r = _f.Load($"""
            # IET sample header

              # an indented comment
            target {IetFiles.Iqn}
            LUN 0 Path={_f.Disk},Type=fileio
            maxburstlength 131072     # Max data per sequence (R2T)
            Target iqn.2001-04.org.ultimana:storage.disk2
            	Lun 1 Path={_f.Disk},Type=fileio,IOMode=ro
            """);
        Assert.Equal([IetFiles.Iqn, "iqn.2001-04.org.ultimana:storage.disk2"], r.Config.Targets.Select(t => t.Wwn));
        Assert.Equal([1, 2], r.Config.Targets.Select(t => t.Tgt!.Tid));
        Assert.Equal("131072", r.Config.Targets[0].Tpgs[0].Parameters["MaxBurstLength"]);
        Assert.Equal("/backstores/fileio/iet2_lun1", r.Config.Targets[1].Tpgs[0].Luns[0].StorageObject);
    }

    [Fact]
    public void Backslash_continues_a_line()
    {
        var r = _f.Load($"Target {IetFiles.Iqn}\n  Lun 0 Path={_f.Disk},\\\nType=fileio,IOMode=wb\n  Alias my\\\n disk\n");
        Assert.True(r.Config.StorageObjects[0].WriteBack);
        Assert.Equal("my disk", r.Config.Targets[0].Tpgs[0].Parameters["TargetAlias"]);
    }

    [Theory]
    [InlineData("", false, false)]
    [InlineData(",IOMode=wt", false, false)]
    [InlineData(",IOMode=wb", true, false)]
    [InlineData(",IOMode=ro", false, true)]
    public void IoMode_maps_to_write_back_and_read_only(string ioMode, bool writeBack, bool readOnly)
    {
        var so = _f.Load($"Target {IetFiles.Iqn}\nLun 0 Path={_f.Disk},Type=fileio{ioMode}\n").Config.StorageObjects[0];
        Assert.Equal(writeBack, so.WriteBack);
        Assert.Equal(readOnly, so.Device.Readonly);
        Assert.False(so.Readonly); // LIO's readonly flag is block-only
    }

    [Fact]
    public void ScsiId_ScsiSN_and_BlockSize()
    {
        var so = _f.Load($"Target {IetFiles.Iqn}\nLun 0 ScsiSN=SN0001,Path={_f.Disk},ScsiId=xyz,BlockSize=4096,Type=fileio\n").Config.StorageObjects[0];
        Assert.Equal("IET     xyz", so.Device.ScsiId);
        Assert.Equal("SN0001", so.Device.ScsiSerial);
        Assert.Equal(4096, so.BlockSize);
    }

    [Fact]
    public void Type_defaults_to_fileio_and_a_partial_last_block_is_left_out_with_a_note()
    {
        var odd = _f.Backing("odd.img", 1000);
        var r = _f.Load($"Target {IetFiles.Iqn}\nLun 0 Path={odd}\n");
        Assert.Equal((LioFormat.FileIo, 512UL), (r.Config.StorageObjects[0].Plugin, r.Config.StorageObjects[0].Size));
        Assert.Contains(r.Notes, n => n.StartsWith($"{_f.Conf}:2: Lun 0: {odd} is 1000 bytes") && n.Contains("size 512"));
    }

    [Fact]
    public void Fileio_on_a_block_device_and_blockio_become_block_storage_objects()
    {
        Requirement.SkipUnlessMet(Requirement.Linux("block devices need Linux") ?? Requirement.Root("attaching a loop device needs root")
            ?? Requirement.LoopDevices() ?? Requirement.Tools("losetup"));
        var attach = Tool.Run("losetup", "--find", "--show", _f.Backing("loop.img", 16 << 20));
        Requirement.SkipUnlessMet(attach.ExitCode == 0 ? null : $"losetup could not attach a loop device: {attach.Stderr.Trim()}");
        var device = attach.Stdout.Trim();
        try
        {
            var r = _f.Load($"Target {IetFiles.Iqn}\nLun 0 Path={device},Type=fileio,IOMode=wb\nLun 1 Path={device},Type=blockio,IOMode=wb\nLun 2 Path={device},Type=blockio,IOMode=ro\n");
            var so = r.Config.StorageObjects;
            Assert.All(so, s => Assert.Equal((LioFormat.Block, 0UL), (s.Plugin, s.Size)));
            Assert.Equal([true, false, false], so.Select(s => s.WriteBack));
            Assert.Equal([false, false, true], so.Select(s => s.Readonly));
            Assert.Contains(r.Notes, n => n.Contains(":3: Lun 1: IOMode=wb is ignored for blockio"));
        }
        finally
        {
            Tool.Run("losetup", "-d", device);
        }
    }

    [Fact]
    public void Negotiation_keys_become_tpg_parameters_as_LIO_writes_them()
    {
        var p = _f.Load($"""
            Target {IetFiles.Iqn}
                Lun 0 Path={_f.Disk},Type=fileio
                Alias Test Disk
                HeaderDigest None
                DataDigest CRC32C
                MaxConnections 1
                InitialR2T Yes
                ImmediateData No
                MaxRecvDataSegmentLength 0x10000
                MaxXmitDataSegmentLength 8192
                MaxBurstLength 262144
                FirstBurstLength 65536
                DefaultTime2Wait 2
                DefaultTime2Retain 020
                MaxOutstandingR2T 8
                DataPDUInOrder Yes
                DataSequenceInOrder Yes
                ErrorRecoveryLevel 0
            """).Config.Targets[0].Tpgs[0].Parameters;
        Assert.Equal(new Dictionary<string, string>
        {
            ["TargetAlias"] = "Test Disk", ["HeaderDigest"] = "None", ["DataDigest"] = "CRC32C,None", ["MaxConnections"] = "1",
            ["InitialR2T"] = "Yes", ["ImmediateData"] = "No", ["MaxRecvDataSegmentLength"] = "65536", ["MaxXmitDataSegmentLength"] = "8192",
            ["MaxBurstLength"] = "262144", ["FirstBurstLength"] = "65536", ["DefaultTime2Wait"] = "2", ["DefaultTime2Retain"] = "16",
            ["MaxOutstandingR2T"] = "8", ["DataPDUInOrder"] = "Yes", ["DataSequenceInOrder"] = "Yes", ["ErrorRecoveryLevel"] = "0",
        }, p);
    }

    [Theory]
    [InlineData("None", "None")]
    [InlineData("CRC32C", "CRC32C,None")]
    [InlineData("None,CRC32C", "CRC32C,None")]
    [InlineData("CRC32C,None", "CRC32C,None")]
    public void Digest_lists_keep_None_as_IET_does(string value, string offered)
    {
        var p = _f.Load($"Target {IetFiles.Iqn}\nHeaderDigest {value}\n").Config.Targets[0].Tpgs[0].Parameters;
        Assert.Equal(offered, p["HeaderDigest"]);
    }

    [Fact]
    public void QueuedCommands_is_the_command_window_and_the_rest_is_accepted_with_notes()
    {
        var r = _f.Load($"""
            iSNSServer 192.168.1.16
            iSNSAccessControl No
            Target {IetFiles.Iqn}
                QueuedCommands 64
                Wthreads 8
                NOPInterval 5
                NOPTimeout 10
                MaxSessions 0
                OFMarker No
                IFMarkInt 2048
            """);
        var attributes = r.Config.Targets[0].Tpgs[0].ExtraAttributes;
        Assert.Equal(64, LioAttributes.DefaultCmdsnDepth.ValueIn(attributes));
        Assert.Equal(7, r.Notes.Count);
        Assert.Contains($"{_f.Conf}:1: iSNSServer: iSNS registration is not supported", r.Notes[0]);
        Assert.Contains(r.Notes, n => n.StartsWith($"{_f.Conf}:6: NOPInterval: ignored (SharpSAN pings an idle initiator every 15 s"));
        Assert.DoesNotContain(r.Notes, n => n.Contains("MaxSessions"));
    }

    [Fact]
    public void Global_accounts_are_discovery_authentication_and_target_accounts_are_tgt_accounts()
    {
        var r = _f.Load($"""
            IncomingUser joe secretsecret1
            OutgoingUser jack 12charsecret
            Target {IetFiles.Iqn}
                IncomingUser jim othersecret
                IncomingUser joe2 samesecret12
                IncomingUser jim othersecret
                OutgoingUser james yetanothersecret
                Lun 0 Path={_f.Disk},Type=fileio
            Target iqn.2001-04.org.ultimana:storage.disk2
                IncomingUser jim othersecret
            """);
        var d = r.Config.DiscoveryAuth;
        Assert.Equal((true, "joe", "secretsecret1", "jack", "12charsecret"), (d.Enable, d.UserId, d.Password, d.MutualUserId, d.MutualPassword));
        Assert.Equal(["jim", "joe2", "james"], r.Config.Tgt.Accounts.Select(a => a.User));
        Assert.Equal(["jim", "joe2"], r.Config.Targets[0].Tgt!.IncomingUsers);
        Assert.Equal("james", r.Config.Targets[0].Tgt!.OutgoingUser);
        Assert.Equal(["jim"], r.Config.Targets[1].Tgt!.IncomingUsers);
    }

    [Fact]
    public void A_secret_may_start_with_a_hash_and_a_comment_may_follow_it()
    {
        var r = _f.Load($"Target {IetFiles.Iqn}\nIncomingUser joe #notacomment1 # a comment\n");
        Assert.Equal("#notacomment1", Assert.Single(r.Config.Tgt.Accounts).Password);
    }

    [Fact]
    public void A_second_OutgoingUser_replaces_the_first_and_an_unused_one_is_noted()
    {
        var r = _f.Load($"OutgoingUser jack 12charsecret\nTarget {IetFiles.Iqn}\nOutgoingUser a secret1secret\nOutgoingUser b secret2secret\n");
        Assert.Equal("b", r.Config.Targets[0].Tgt!.OutgoingUser);
        Assert.False(r.Config.DiscoveryAuth.Enable);
        Assert.Contains(r.Notes, n => n.StartsWith($"{_f.Conf}:4: only one OutgoingUser per target"));
        Assert.Contains(r.Notes, n => n.StartsWith($"{_f.Conf}:1: OutgoingUser jack: unused"));
        Assert.Contains(r.Notes, n => n.StartsWith($"{_f.Conf}:4: OutgoingUser b: unused"));
    }

    [Fact]
    public void Portals_and_first_tid_come_from_the_options()
    {
        var r = _f.Load($"Target {IetFiles.Iqn}\n", 7, "127.0.0.1:3261", "[::1]:3262", "127.0.0.1:3261");
        Assert.Equal(7, r.Config.Targets[0].Tgt!.Tid);
        Assert.Equal([("127.0.0.1", 3261), ("::1", 3262)], r.Config.Targets[0].Tpgs[0].Portals.Select(p => (p.IpAddress, p.Port)));
    }

    [Fact]
    public void An_empty_file_is_an_empty_configuration()
    {
        var r = _f.Load("# nothing yet\n");
        Assert.Empty(r.Config.Targets);
        Assert.Empty(r.Config.StorageObjects);
    }
}
