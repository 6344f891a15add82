namespace SharpSan.Config.Tests;

public class SaveConfigReaderTests
{
    [Fact]
    public void Realistic_lio_file_parses_to_the_expected_tree()
    {
        var config = SaveConfigReader.Parse(Fixtures.LioSaveConfig);

        Assert.True(config.DiscoveryAuth.Enable);
        Assert.Equal("discuser", config.DiscoveryAuth.UserId);
        Assert.Equal("discsecret12", config.DiscoveryAuth.Password);
        Assert.Equal("discmutual", config.DiscoveryAuth.MutualUserId);
        Assert.Equal("discmutualsecret", config.DiscoveryAuth.MutualPassword);

        Assert.Equal(3, config.StorageObjects.Count);
        var fileio = config.StorageObjects[0];
        Assert.Equal(("fileio", "disk1", "/var/lib/iscsi_disks/disk1.img"), (fileio.Plugin, fileio.Name, fileio.Dev));
        Assert.Equal(10737418240UL, fileio.Size);
        Assert.True(fileio.WriteBack);
        Assert.Equal("4f1c8f0e-2b4e-4d6a-9c53-6e1b9f0d2a71", fileio.Wwn);
        Assert.Equal(512, fileio.BlockSize);
        Assert.Equal("/backstores/fileio/disk1", fileio.Path);
        Assert.False(fileio.ExtraAttributes.ContainsKey("block_size"));
        Assert.Equal(8192, (int)fileio.ExtraAttributes["max_unmap_lba_count"]!);
        Assert.True(fileio.ExtraFields.ContainsKey("aio"));
        Assert.False(fileio.ExtraFields.ContainsKey("alua_tpgs"));
        var group = Assert.Single(fileio.AluaGroups);
        Assert.Equal(("default_tg_pt_gp", 0, 0, 3, 100), (group.Name, group.TgPtGpId, group.AluaAccessState, group.AluaAccessType, group.NonopDelayMsecs));

        var block = config.StorageObjects[1];
        Assert.Equal(("block", "lvm1", "/dev/vg0/lun1", 4096, 0UL), (block.Plugin, block.Name, block.Dev, block.BlockSize, block.Size));
        Assert.False(block.Readonly);
        Assert.False(block.WriteBack);
        Assert.True(block.ExtraFields.ContainsKey("exclusive"));

        var ramdisk = config.StorageObjects[2];
        Assert.Equal(("ramdisk", "scratch", "", 268435456UL), (ramdisk.Plugin, ramdisk.Name, ramdisk.Dev, ramdisk.Size));

        Assert.Equal(2, config.Targets.Count);
        var target = config.Targets[0];
        Assert.Equal(("iscsi", "iqn.2003-01.org.linux-iscsi.storage1.x8664:sn.8b2f6c1d9e4a"), (target.Fabric, target.Wwn));
        var tpg = Assert.Single(target.Tpgs);
        Assert.Equal(1, tpg.Tag);
        Assert.True(tpg.Enable);
        Assert.True(tpg.Authentication);
        Assert.False(tpg.GenerateNodeAcls);
        Assert.True(tpg.DemoModeWriteProtect);
        Assert.False(tpg.CacheDynamicAcls);
        Assert.Equal(64, (int)tpg.ExtraAttributes["default_cmdsn_depth"]!);
        Assert.False(tpg.ExtraAttributes.ContainsKey("authentication"));
        Assert.Equal("8192", tpg.Parameters["MaxRecvDataSegmentLength"]);
        Assert.Equal("CRC32C,None", tpg.Parameters["HeaderDigest"]);
        Assert.Equal("", tpg.ChapUserId);

        var portal = Assert.Single(tpg.Portals);
        Assert.Equal(("0.0.0.0", 3260, false, false), (portal.IpAddress, portal.Port, portal.Iser, portal.Offload));

        Assert.Equal([0UL, 1UL, 2UL], tpg.Luns.Select(l => l.Index));
        Assert.Equal("/backstores/block/lvm1", tpg.Luns[1].StorageObject);
        Assert.Equal("f01e2d3c4b", tpg.Luns[1].Alias);
        Assert.Equal("default_tg_pt_gp", tpg.Luns[1].AluaTgPtGp);

        Assert.Equal(2, tpg.NodeAcls.Count);
        var acl = tpg.NodeAcls[0];
        Assert.Equal("iqn.1994-05.com.redhat:185ce16b55ad", acl.NodeWwn);
        Assert.Equal(("initiator1", "initsecret123", "target1", "targetsecret45"), (acl.ChapUserId, acl.ChapPassword, acl.ChapMutualUserId, acl.ChapMutualPassword));
        Assert.Equal(30, (int)acl.ExtraAttributes["nopin_response_timeout"]!);
        Assert.Equal(2, acl.MappedLuns.Count);
        Assert.Equal((1UL, 1UL, true, "b6c7d8e9f0"), (acl.MappedLuns[1].Index, acl.MappedLuns[1].TpgLun, acl.MappedLuns[1].WriteProtect, acl.MappedLuns[1].Alias));
        Assert.Equal((5UL, 2UL), (tpg.NodeAcls[1].MappedLuns[0].Index, tpg.NodeAcls[1].MappedLuns[0].TpgLun));

        var demoTpg = Assert.Single(config.Targets[1].Tpgs);
        Assert.False(demoTpg.Enable);
        Assert.True(demoTpg.GenerateNodeAcls);
        Assert.Equal(("demouser", "demosecret99"), (demoTpg.ChapUserId, demoTpg.ChapPassword));
        Assert.Equal("LIO Target \u00e9", demoTpg.Parameters["TargetAlias"]);
        // LIO writes IPv6 portals in brackets; the model holds the bare literal.
        Assert.Equal("::0", demoTpg.Portals[0].IpAddress);
    }

    [Fact]
    public void Old_plugin_names_and_int_booleans_are_accepted()
    {
        const string json = """
            {
              "storage_objects": [
                {"name": "r", "plugin": "rd_mcp", "size": 1048576, "wwn": "x1"},
                {"name": "b", "plugin": "iblock", "dev": "/dev/sdb", "write_back": 1, "readonly": 0, "wwn": "x2"}
              ],
              "targets": [
                {"fabric": "iscsi", "wwn": "iqn.2026-01.com.example:t", "tpgs": [
                  {"tag": 1, "enable": 1, "attributes": {"generate_node_acls": 1},
                   "portals": [{"ip_address": "::1", "port": 3260, "iser": 0}],
                   "luns": [{"index": 0, "storage_object": "/backstores/rd_mcp/r"},
                            {"index": 1, "storage_object": "/backstores/iblock/b"}]}
                ]}
              ]
            }
            """;
        var config = SaveConfigReader.Parse(json);
        Assert.Equal("ramdisk", config.StorageObjects[0].Plugin);
        Assert.Equal("block", config.StorageObjects[1].Plugin);
        Assert.True(config.StorageObjects[1].WriteBack);
        var tpg = config.Targets[0].Tpgs[0];
        Assert.True(tpg.Enable);
        Assert.True(tpg.GenerateNodeAcls);
        // Attributes a file leaves out take LIO's defaults.
        Assert.True(tpg.DemoModeWriteProtect);
        Assert.Equal("::1", tpg.Portals[0].IpAddress);
        Assert.Equal("/backstores/ramdisk/r", tpg.Luns[0].StorageObject);
        Assert.Equal("/backstores/block/b", tpg.Luns[1].StorageObject);
        Assert.Equal("default_tg_pt_gp", tpg.Luns[0].AluaTgPtGp);
    }

    [Fact]
    public void Missing_wwn_gets_a_uuid4_unit_serial_and_missing_tag_the_next_free_one()
    {
        const string json = """
            {"storage_objects": [{"name": "d", "plugin": "fileio", "dev": "/tmp/d.img", "size": 4096}],
             "targets": [{"fabric": "iscsi", "wwn": "iqn.2026-01.com.example:t",
                          "tpgs": [{"enable": true}, {"tag": 1}, {}]}]}
            """;
        var config = SaveConfigReader.Parse(json);
        var wwn = config.StorageObjects[0].Wwn;
        Assert.True(Guid.TryParseExact(wwn, "D", out var guid), wwn);
        Assert.Equal(4, guid.Version);
        Assert.Equal([2, 1, 3], config.Targets[0].Tpgs.Select(t => (int)t.Tag));
        Assert.False(config.StorageObjects[0].WriteBack);
    }

    [Fact]
    public void Empty_object_is_an_empty_config()
    {
        var config = SaveConfigReader.Parse("{}");
        Assert.Empty(config.StorageObjects);
        Assert.Empty(config.Targets);
        Assert.False(config.DiscoveryAuth.Enable);
    }

    [Theory]
    [InlineData("{\n  \"targets\": [\n    {\"wwn\": }\n  ]\n}", "line 3, column 13")]
    [InlineData("{\"targets\": [],}", "line 1, column 16")]
    [InlineData("{\"storage_objects\": []\n", "line 2, column 1")]
    [InlineData("", "line 1, column 1")]
    public void Malformed_json_reports_line_and_column(string json, string where)
    {
        var ex = Assert.Throws<ConfigException>(() => SaveConfigReader.Parse(json, "my.json"));
        Assert.StartsWith("my.json: ", ex.Message);
        Assert.Contains("invalid JSON at " + where, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Duplicate_keys_are_refused()
    {
        var ex = Assert.Throws<ConfigException>(() => SaveConfigReader.Parse("{\"targets\": [], \"targets\": []}"));
        Assert.Contains("invalid JSON", ex.Message);
    }

    [Fact]
    public void Load_reads_a_file_and_names_it_in_errors()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-config-");
        var path = Path.Combine(dir.Path, "conf.json");
        File.WriteAllText(path, Fixtures.LioSaveConfig);
        Assert.Equal(3, SaveConfigReader.Load(path).StorageObjects.Count);

        File.WriteAllText(path, "{\"targets\": 5}");
        var ex = Assert.Throws<ConfigException>(() => SaveConfigReader.Load(path));
        Assert.Equal($"{path}: $.targets: expected an array, found 5", ex.Message);
        Assert.Equal("$.targets", ex.JsonPath);
    }

    [Fact]
    public void Load_reads_a_gzipped_backup()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-config-");
        var path = Path.Combine(dir.Path, "backup.json.gz");
        using (var file = File.Create(path))
        using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Optimal))
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(Fixtures.LioSaveConfig));
        Assert.Equal(3, SaveConfigReader.Load(path).StorageObjects.Count);
    }

    [Fact]
    public void Missing_file_is_left_to_the_caller()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-config-");
        Assert.Throws<FileNotFoundException>(() => SaveConfigReader.Load(Path.Combine(dir.Path, "none.json")));
    }
}
