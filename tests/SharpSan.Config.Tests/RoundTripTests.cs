using System.Text.Json.Nodes;

namespace SharpSan.Config.Tests;

public class RoundTripTests
{
    [Fact]
    public void Targetcli_file_reserializes_byte_for_byte()
    {
        // The fixture was produced by Python's json.dump(sort_keys=True, indent=2) + "\n", as rtslib does.
        var config = SaveConfigReader.Parse(Fixtures.LioSaveConfig);
        var written = SaveConfigWriter.Serialize(config);
        Assert.Equal(Fixtures.LioSaveConfig, written);
    }

    [Fact]
    public void Targetcli_file_reserializes_to_an_equal_json_tree()
    {
        var written = JsonNode.Parse(SaveConfigWriter.Serialize(SaveConfigReader.Parse(Fixtures.LioSaveConfig)));
        Assert.True(JsonNode.DeepEquals(Fixtures.LioTree(), written));
    }

    [Fact]
    public void Parse_of_serialize_is_identity_for_built_trees()
    {
        var config = DemoConfig.Create("/var/lib/sharpsand");
        config.DiscoveryAuth = new DiscoveryAuthConfig { Enable = false, UserId = "u", Password = "secretsecret" };
        var acl = new NodeAclConfig { NodeWwn = "eui.02004567A425678D", ChapUserId = "a", ChapPassword = "b", Tag = "group1" };
        acl.MappedLuns.Add(new MappedLunConfig { Index = 3, TpgLun = 0, WriteProtect = true });
        config.Targets[0].Tpgs[0].NodeAcls.Add(acl);
        config.Targets[0].Tpgs[0].Portals.Add(new PortalConfig { IpAddress = "fe80::1", Port = 3261, Iser = true });
        config.StorageObjects.Add(new StorageObjectConfig { Plugin = "block", Name = "ro", Dev = "/dev/sdb", Readonly = true, Wwn = "serial-1", BlockSize = 4096 });

        var first = SaveConfigWriter.Serialize(config);
        var reparsed = SaveConfigReader.Parse(first);
        Assert.Equal(first, SaveConfigWriter.Serialize(reparsed));

        Assert.Equal("fe80::1", reparsed.Targets[0].Tpgs[0].Portals[1].IpAddress);
        Assert.Contains("\"ip_address\": \"[fe80::1]\"", first);
        Assert.Equal("group1", reparsed.Targets[0].Tpgs[0].NodeAcls[0].Tag);
        Assert.Equal("u", reparsed.DiscoveryAuth.UserId);
        Assert.True(reparsed.StorageObjects[1].Readonly);
    }

    [Fact]
    public void Writer_uses_lio_key_sets_and_value_types()
    {
        var json = JsonNode.Parse(SaveConfigWriter.Serialize(DemoConfig.Create("/s")))!;
        var so = json["storage_objects"]![0]!.AsObject();
        Assert.Equal(["alua_tpgs", "attributes", "dev", "name", "plugin", "size", "write_back", "wwn"], so.Select(p => p.Key).Order());
        var tpg = json["targets"]![0]!["tpgs"]![0]!.AsObject();
        // enable is a bool, attributes are ints, as rtslib dumps them.
        Assert.Equal(System.Text.Json.JsonValueKind.True, tpg["enable"]!.GetValueKind());
        Assert.Equal(1, (int)tpg["attributes"]!["generate_node_acls"]!);
        Assert.Empty(json["fabric_modules"]!.AsArray());
        Assert.False(tpg.ContainsKey("chap_userid"));
        Assert.False(tpg.ContainsKey("parameters"));

        var pscsi = new SanConfig();
        pscsi.StorageObjects.Add(new StorageObjectConfig { Plugin = "pscsi", Name = "p", Dev = "/dev/sg0" });
        var p = JsonNode.Parse(SaveConfigWriter.Serialize(pscsi))!["storage_objects"]![0]!.AsObject();
        // rtslib's PSCSIStorageObject takes no wwn/size/write_back and dumps no block_size.
        // StorageObject.dump() always writes alua_tpgs (empty when the backstore has no ALUA support).
        Assert.Equal(["alua_tpgs", "dev", "name", "plugin"], p.Select(kv => kv.Key).Order());
    }

    [Fact]
    public void Strings_are_escaped_like_python_ensure_ascii()
    {
        var config = DemoConfig.Create("/s");
        config.Targets[0].Tpgs[0].Parameters["TargetAlias"] = "a\"b\\c\n\u00e9\u007f<+&>\U0001F600";
        var text = SaveConfigWriter.Serialize(config);
        Assert.Contains("\"TargetAlias\": \"a\\\"b\\\\c\\n\\u00e9\\u007f<+&>\\ud83d\\ude00\"", text);
        Assert.Equal("a\"b\\c\n\u00e9\u007f<+&>\U0001F600", SaveConfigReader.Parse(text).Targets[0].Tpgs[0].Parameters["TargetAlias"]);
    }

    [Fact]
    public void Empty_config_matches_rtslib_layout()
        => Assert.Equal("{\n  \"fabric_modules\": [],\n  \"storage_objects\": [],\n  \"targets\": []\n}\n", SaveConfigWriter.Serialize(new SanConfig()));
}
