using System.Text.Json.Nodes;

namespace SharpSan.Config.Tests;

/// <summary>storage_objects[i].alua_tpgs and luns[k].alua_tg_pt_gp_name: read, validated, written.</summary>
public class AluaConfigTests
{
    private const string Group = """
        { "alua_access_state": 2, "alua_access_status": 1, "alua_access_type": 2, "alua_support_active_nonoptimized": 1,
          "alua_support_active_optimized": 1, "alua_support_offline": 0, "alua_support_standby": 1, "alua_support_transitioning": 1,
          "alua_support_unavailable": 0, "alua_write_metadata": 1, "implicit_trans_secs": 7, "name": "east",
          "nonop_delay_msecs": 50, "preferred": 1, "tg_pt_gp_id": 12, "trans_delay_msecs": 250 }
        """;

    private static string File(string groups, string lunGroup = "east") => $$"""
        {
          "fabric_modules": [],
          "storage_objects": [
            { "alua_tpgs": [{{groups}}], "attributes": { "block_size": 512 }, "dev": "/tmp/d", "name": "disk1", "plugin": "fileio",
              "size": 1048576, "write_back": false, "wwn": "0e4b0d8e-2cd1-4c4e-a0b2-3f0f6f0b8a11" }
          ],
          "targets": [
            { "fabric": "iscsi", "wwn": "iqn.2026-11.io.sharpsan:t",
              "tpgs": [ { "attributes": { "authentication": 0, "cache_dynamic_acls": 1, "demo_mode_write_protect": 0, "generate_node_acls": 1 },
                "enable": true, "luns": [ { "alias": "a", "alua_tg_pt_gp_name": "{{lunGroup}}", "index": 0, "storage_object": "/backstores/fileio/disk1" } ],
                "node_acls": [], "portals": [], "tag": 1 } ] }
          ]
        }
        """;

    [Fact]
    public void A_group_is_read_with_every_lio_key()
    {
        var so = SaveConfigReader.Parse(File(Group)).StorageObjects[0];
        var g = Assert.Single(so.AluaGroups);
        Assert.Equal(("east", 12, 2, 1, 2), (g.Name, g.TgPtGpId, g.AluaAccessState, g.AluaAccessStatus, g.AluaAccessType));
        Assert.True(g.Preferred);
        Assert.True(g.AluaWriteMetadata);
        Assert.Equal((50, 250, 7), (g.NonopDelayMsecs, g.TransDelayMsecs, g.ImplicitTransSecs));
        Assert.Equal((true, true, true, false, false, true),
            (g.SupportActiveOptimized, g.SupportActiveNonoptimized, g.SupportStandby, g.SupportUnavailable, g.SupportOffline, g.SupportTransitioning));
        Assert.Empty(so.ExtraFields);
    }

    [Fact]
    public void Groups_round_trip_key_for_key()
    {
        var text = File(Group + ", " + Group.Replace("\"east\"", "\"west\"").Replace("\"tg_pt_gp_id\": 12", "\"tg_pt_gp_id\": 13"));
        var config = SaveConfigReader.Parse(text);
        var written = SaveConfigWriter.Serialize(config);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(text), JsonNode.Parse(written)), written);
        Assert.Equal(written, SaveConfigWriter.Serialize(SaveConfigReader.Parse(written)));
    }

    [Fact]
    public void The_default_group_exists_without_being_listed()
    {
        var config = SaveConfigReader.Parse(File("", "default_tg_pt_gp"));
        Assert.Empty(config.StorageObjects[0].AluaGroups);
        Assert.NotNull(config.StorageObjects[0].FindAluaGroup("default_tg_pt_gp"));
        Assert.Contains("\"alua_tpgs\": []", SaveConfigWriter.Serialize(config));
    }

    [Theory]
    [InlineData("\"tg_pt_gp_id\": 12", "\"tg_pt_gp_id\": 0", "tg_pt_gp_id", "out of range")]
    [InlineData("\"alua_access_state\": 2", "\"alua_access_state\": 4", "alua_access_state", "LBA dependent")]
    [InlineData("\"alua_access_state\": 2", "\"alua_access_state\": 9", "alua_access_state", "not an ALUA state")]
    [InlineData("\"alua_access_state\": 2", "\"alua_access_state\": 3", "alua_access_state", "not supported by the group")]
    [InlineData("\"alua_access_type\": 2", "\"alua_access_type\": 4", "alua_access_type", "out of range")]
    [InlineData("\"alua_access_status\": 1", "\"alua_access_status\": 3", "alua_access_status", "out of range")]
    [InlineData("\"trans_delay_msecs\": 250", "\"trans_delay_msecs\": 30001", "trans_delay_msecs", "out of range")]
    [InlineData("\"nonop_delay_msecs\": 50", "\"nonop_delay_msecs\": 10001", "nonop_delay_msecs", "out of range")]
    [InlineData("\"implicit_trans_secs\": 7", "\"implicit_trans_secs\": 256", "implicit_trans_secs", "out of range")]
    [InlineData("\"preferred\": 1", "\"preferred\": 2", "preferred", "expected 0 or 1")]
    [InlineData("\"name\": \"east\"", "\"name\": \"e st\"", "name", "whitespace")]
    public void Bad_group_values_are_refused_with_their_path(string from, string to, string key, string reason)
    {
        var ex = Assert.Throws<ConfigException>(() => SaveConfigReader.Parse(File(Group.Replace(from, to), to.Contains("name") ? "default_tg_pt_gp" : "east")));
        Assert.Contains($"storage_objects[0].alua_tpgs[0].{key}", ex.Message);
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void Duplicate_names_and_ids_are_refused()
    {
        var ex = Assert.Throws<ConfigException>(() => SaveConfigReader.Parse(File(Group + ", " + Group)));
        Assert.Contains("alua_tpgs[1].name", ex.Message);
        ex = Assert.Throws<ConfigException>(() => SaveConfigReader.Parse(File(Group + ", " + Group.Replace("\"east\"", "\"west\""))));
        Assert.Contains("alua_tpgs[1].tg_pt_gp_id", ex.Message);
        ex = Assert.Throws<ConfigException>(() => SaveConfigReader.Parse(File(Group.Replace("\"east\"", "\"default_tg_pt_gp\""), "default_tg_pt_gp")));
        Assert.Contains("default_tg_pt_gp has tg_pt_gp_id 0", ex.Message);
    }

    [Fact]
    public void A_lun_must_name_a_group_of_its_storage_object()
    {
        var ex = Assert.Throws<ConfigException>(() => SaveConfigReader.Parse(File(Group, "west")));
        Assert.Contains("luns[0].alua_tg_pt_gp_name", ex.Message);
        Assert.Contains("no ALUA target port group \"west\"", ex.Message);
    }
}
