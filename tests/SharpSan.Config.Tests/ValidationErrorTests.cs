using System.Text.Json.Nodes;

namespace SharpSan.Config.Tests;

/// <summary>Each case breaks the valid fixture in one place and expects that exact path and reason.</summary>
public class ValidationErrorTests
{
    private const string T0 = "$.targets[0]";
    private const string Tpg = "$.targets[0].tpgs[0]";
    private const string Acl = "$.targets[0].tpgs[0].node_acls[0]";

    public static TheoryData<string, string, string> Cases() => new()
    {
        // storage objects
        { "so plugin unknown", "$.storage_objects[0].plugin", "storage plugin \"user\" not supported" },
        { "so name missing", "$.storage_objects[0].name", "required" },
        { "so name slash", "$.storage_objects[0].name", "contains '/', whitespace" },
        { "so name space", "$.storage_objects[0].name", "contains '/', whitespace" },
        { "so duplicate", "$.storage_objects[1].name", "duplicate storage object \"/backstores/fileio/disk1\" (also at $.storage_objects[0])" },
        { "fileio dev empty", "$.storage_objects[0].dev", "fileio needs a dev" },
        { "block dev missing", "$.storage_objects[1].dev", "block needs a dev" },
        { "ramdisk size 0", "$.storage_objects[2].size", "ramdisk needs a size > 0" },
        { "block_size 8192", "$.storage_objects[0].attributes.block_size", "block_size 8192 not supported" },
        { "block_size 2048", "$.storage_objects[0].attributes.block_size", "block_size 2048 not supported (512 or 4096)" },
        { "block_size string", "$.storage_objects[0].attributes.block_size", "expected a non-negative integer, found string \"512\"" },
        { "size not multiple", "$.storage_objects[0].size", "size 1000 is not a multiple of block_size 512" },
        { "size negative", "$.storage_objects[0].size", "expected a non-negative integer, found -1" },
        { "wwn with space", "$.storage_objects[0].wwn", "printable ASCII without spaces" },
        { "write_back string", "$.storage_objects[0].write_back", "expected true/false or 0/1, found string \"yes\"" },
        { "write_back 2", "$.storage_objects[0].write_back", "expected true/false or 0/1, found 2" },
        { "storage_objects not array", "$.storage_objects", "expected an array, found an object" },
        // fabric modules
        { "fabric module other", "$.fabric_modules[0].name", "fabric \"loopback\" not supported" },
        { "discovery password without user", "$.fabric_modules[0].discovery_userid", "discovery_password is set but discovery_userid is empty" },
        { "discovery mutual without one-way", "$.fabric_modules[0].discovery_userid", "mutual CHAP needs one-way CHAP" },
        // targets
        { "target fabric", $"{T0}.fabric", "fabric \"qla2xxx\" not supported (only iscsi)" },
        { "target fabric missing", $"{T0}.fabric", "required" },
        { "target wwn uppercase", $"{T0}.wwn", "must be lowercase" },
        { "target wwn bad date", $"{T0}.wwn", "not a valid iqn name" },
        { "target wwn garbage", $"{T0}.wwn", "is not an iSCSI name" },
        { "target duplicate", "$.targets[1].wwn", "duplicate target" },
        // TPGs
        { "tag 0", $"{Tpg}.tag", "tag 0 is out of range (1..65535)" },
        { "tag 70000", $"{Tpg}.tag", "70000 is out of range (0..65535)" },
        { "tag duplicate", "$.targets[0].tpgs[1].tag", "duplicate tag 1 (also at $.targets[0].tpgs[0])" },
        { "enable string", $"{Tpg}.enable", "expected true/false or 0/1" },
        { "authentication 2", $"{Tpg}.attributes.authentication", "expected true/false or 0/1, found 2" },
        { "cmdsn depth 0", $"{Tpg}.attributes.default_cmdsn_depth", "default_cmdsn_depth 0 is out of range (1 to 512)" },
        { "cmdsn depth 513", $"{Tpg}.attributes.default_cmdsn_depth", "default_cmdsn_depth 513 is out of range (1 to 512)" },
        { "prod write protect 2", $"{Tpg}.attributes.prod_mode_write_protect", "prod_mode_write_protect 2 is out of range (0 to 1)" },
        { "login_timeout string", $"{Tpg}.attributes.login_timeout", "login_timeout must be an integer (5 to 30)" },
        { "parameter number", $"{Tpg}.parameters.MaxBurstLength", "expected a string, found 262144" },
        { "tpg chap user only", $"{Tpg}.chap_password", "chap_userid is set but chap_password is empty" },
        // portals
        { "portal ip bad", $"{Tpg}.portals[0].ip_address", "\"10.0.0\" is not an IPv4 (dotted quad) or IPv6 address literal" },
        { "portal ip hostname", $"{Tpg}.portals[0].ip_address", "\"localhost\" is not an IPv4" },
        { "portal port 0", $"{Tpg}.portals[0].port", "port 0 is out of range (1..65535)" },
        { "portal port missing", $"{Tpg}.portals[0].port", "required" },
        { "portal duplicate in tpg", $"{Tpg}.portals[1]", "portal 0.0.0.0:3260 is already used by $.targets[0].tpgs[0].portals[0]" },
        { "portal in two tpgs", "$.targets[0].tpgs[1].portals[0]", "LIO allows one TPG per portal within a target" },
        // LUNs
        { "lun missing so", $"{Tpg}.luns[1].storage_object", "no storage object \"/backstores/fileio/nope\"" },
        { "lun duplicate", $"{Tpg}.luns[1].index", "duplicate LUN 0 (also at $.targets[0].tpgs[0].luns[0])" },
        { "lun too big", $"{Tpg}.luns[0].index", "LUN 65536 is out of range (0..65535)" },
        { "lun index missing", $"{Tpg}.luns[0].index", "required" },
        // ACLs
        { "acl wwn invalid", $"{Acl}.node_wwn", "is not an iSCSI name" },
        { "acl duplicate", "$.targets[0].tpgs[0].node_acls[1].node_wwn", "duplicate ACL for \"iqn.1994-05.com.redhat:185ce16b55ad\"" },
        { "acl password only", $"{Acl}.chap_userid", "chap_password is set but chap_userid is empty" },
        { "acl mutual user only", $"{Acl}.chap_mutual_password", "chap_mutual_userid is set but chap_mutual_password is empty" },
        { "acl mutual without one-way", $"{Acl}.chap_userid", "mutual CHAP needs one-way CHAP too" },
        { "acl nopin_timeout 2", $"{Acl}.attributes.nopin_timeout", "nopin_timeout 2 is out of range (3 to 60)" },
        { "acl nopin_response_timeout 61", $"{Acl}.attributes.nopin_response_timeout", "nopin_response_timeout 61 is out of range (3 to 60)" },
        { "mapped lun to missing tpg lun", $"{Acl}.mapped_luns[1].tpg_lun", "no LUN 9 in this TPG" },
        { "mapped lun duplicate", $"{Acl}.mapped_luns[1].index", "duplicate mapped LUN 0" },
        { "mapped lun missing tpg_lun", $"{Acl}.mapped_luns[0].tpg_lun", "required" },
    };

    private static readonly Dictionary<string, Action<JsonNode>> Mutations = new()
    {
        ["so plugin unknown"] = j => So(j, 0)["plugin"] = "user",
        ["so name missing"] = j => So(j, 0).Remove("name"),
        ["so name slash"] = j => So(j, 0)["name"] = "a/b",
        ["so name space"] = j => So(j, 0)["name"] = "a b",
        ["so duplicate"] = j => { So(j, 1)["plugin"] = "fileio"; So(j, 1)["name"] = "disk1"; So(j, 1)["size"] = 4096; },
        ["fileio dev empty"] = j => So(j, 0)["dev"] = "",
        ["block dev missing"] = j => So(j, 1).Remove("dev"),
        ["ramdisk size 0"] = j => So(j, 2)["size"] = 0,
        ["block_size 8192"] = j => So(j, 0)["attributes"]!["block_size"] = 8192,
        ["block_size 2048"] = j => So(j, 0)["attributes"]!["block_size"] = 2048,
        ["block_size string"] = j => So(j, 0)["attributes"]!["block_size"] = "512",
        ["size not multiple"] = j => So(j, 0)["size"] = 1000,
        ["size negative"] = j => So(j, 0)["size"] = -1,
        ["wwn with space"] = j => So(j, 0)["wwn"] = "a b",
        ["write_back string"] = j => So(j, 0)["write_back"] = "yes",
        ["write_back 2"] = j => So(j, 0)["write_back"] = 2,
        ["storage_objects not array"] = j => j["storage_objects"] = new JsonObject(),
        ["fabric module other"] = j => j["fabric_modules"]![0]!["name"] = "loopback",
        ["discovery password without user"] = j => j["fabric_modules"]![0]!.AsObject().Remove("discovery_userid"),
        ["discovery mutual without one-way"] = j => { var f = j["fabric_modules"]![0]!.AsObject(); f.Remove("discovery_userid"); f.Remove("discovery_password"); },
        ["target fabric"] = j => Target(j)["fabric"] = "qla2xxx",
        ["target fabric missing"] = j => Target(j).Remove("fabric"),
        ["target wwn uppercase"] = j => Target(j)["wwn"] = "iqn.2003-01.org.Linux-iscsi:x",
        ["target wwn bad date"] = j => Target(j)["wwn"] = "iqn.2003-13.org.linux-iscsi:x",
        ["target wwn garbage"] = j => Target(j)["wwn"] = "target1",
        ["target duplicate"] = j => j["targets"]![1]!["wwn"] = Target(j)["wwn"]!.GetValue<string>(),
        ["tag 0"] = j => Tpg0(j)["tag"] = 0,
        ["tag 70000"] = j => Tpg0(j)["tag"] = 70000,
        ["tag duplicate"] = j => Target(j)["tpgs"]!.AsArray().Add(new JsonObject { ["tag"] = 1 }),
        ["enable string"] = j => Tpg0(j)["enable"] = "true",
        ["authentication 2"] = j => Tpg0(j)["attributes"]!["authentication"] = 2,
        ["cmdsn depth 0"] = j => Tpg0(j)["attributes"]!["default_cmdsn_depth"] = 0,
        ["cmdsn depth 513"] = j => Tpg0(j)["attributes"]!["default_cmdsn_depth"] = 513,
        ["prod write protect 2"] = j => Tpg0(j)["attributes"]!["prod_mode_write_protect"] = 2,
        ["login_timeout string"] = j => Tpg0(j)["attributes"]!["login_timeout"] = "15",
        ["parameter number"] = j => Tpg0(j)["parameters"]!["MaxBurstLength"] = 262144,
        ["tpg chap user only"] = j => Tpg0(j)["chap_userid"] = "u",
        ["portal ip bad"] = j => Portal0(j)["ip_address"] = "10.0.0",
        ["portal ip hostname"] = j => Portal0(j)["ip_address"] = "localhost",
        ["portal port 0"] = j => Portal0(j)["port"] = 0,
        ["portal port missing"] = j => Portal0(j).Remove("port"),
        ["portal duplicate in tpg"] = j => Tpg0(j)["portals"]!.AsArray().Add(Portal0(j).DeepClone()),
        ["portal in two tpgs"] = j => Target(j)["tpgs"]!.AsArray().Add(new JsonObject
        {
            ["tag"] = 2,
            ["portals"] = new JsonArray(new JsonObject { ["ip_address"] = "0.0.0.0", ["port"] = 3260 }),
        }),
        ["lun missing so"] = j => Lun(j, 1)["storage_object"] = "/backstores/fileio/nope",
        ["lun duplicate"] = j => Lun(j, 1)["index"] = 0,
        ["lun too big"] = j => Lun(j, 0)["index"] = 65536,
        ["lun index missing"] = j => Lun(j, 0).Remove("index"),
        ["acl wwn invalid"] = j => Acl0(j)["node_wwn"] = "initiator",
        ["acl duplicate"] = j => Tpg0(j)["node_acls"]![1]!["node_wwn"] = "iqn.1994-05.com.redhat:185ce16b55ad",
        ["acl password only"] = j => Acl0(j).Remove("chap_userid"),
        ["acl mutual user only"] = j => Acl0(j).Remove("chap_mutual_password"),
        ["acl mutual without one-way"] = j => { Acl0(j).Remove("chap_userid"); Acl0(j).Remove("chap_password"); },
        ["acl nopin_timeout 2"] = j => Tpg0(j)["node_acls"]![0]!["attributes"]!["nopin_timeout"] = 2,
        ["acl nopin_response_timeout 61"] = j => Tpg0(j)["node_acls"]![0]!["attributes"]!["nopin_response_timeout"] = 61,
        ["mapped lun to missing tpg lun"] = j => Acl0(j)["mapped_luns"]![1]!["tpg_lun"] = 9,
        ["mapped lun duplicate"] = j => Acl0(j)["mapped_luns"]![1]!["index"] = 0,
        ["mapped lun missing tpg_lun"] = j => Acl0(j)["mapped_luns"]![0]!.AsObject().Remove("tpg_lun"),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Broken_file_names_the_path_and_reason(string mutation, string path, string reason)
    {
        var tree = Fixtures.LioTree();
        Mutations[mutation](tree);

        var ex = Assert.Throws<ConfigException>(() => SaveConfigReader.Parse(tree.ToJsonString()));

        Assert.Equal(path, ex.JsonPath);
        Assert.Contains(reason, ex.Reason);
        Assert.Equal($"saveconfig.json: {path}: {ex.Reason}", ex.Message);
    }

    [Fact]
    public void Every_mutation_has_a_case()
        => Assert.Equal(Mutations.Keys.Order(), Cases().Select(row => row.Data.Item1).Order());

    [Fact]
    public void Validator_on_a_built_tree_uses_the_same_paths()
    {
        var config = SaveConfigReader.Parse(Fixtures.LioSaveConfig);
        config.Targets[0].Tpgs[0].Luns[2].StorageObject = "/backstores/fileio/nope";
        var ex = Assert.Throws<ConfigException>(() => ConfigValidator.Validate(config));
        Assert.Equal("config: $.targets[0].tpgs[0].luns[2].storage_object: no storage object \"/backstores/fileio/nope\"", ex.Message);
    }

    [Theory]
    [InlineData("ramdisk", "write_back", "ramdisk has no write_back setting")]
    [InlineData("fileio", "readonly", "fileio has no readonly setting")]
    [InlineData("block", "size", "block takes its size from the device")]
    [InlineData("rd_mcp", "plugin", "must be written \"ramdisk\"")]
    [InlineData("pscsi", "plugin", "storage plugin \"pscsi\" is not supported by SharpSAN yet")]
    public void Settings_the_lio_format_cannot_hold_are_refused(string plugin, string field, string reason)
    {
        var so = new StorageObjectConfig { Plugin = plugin, Name = "x", Dev = plugin is "ramdisk" or "rd_mcp" ? "" : "/dev/sdx", Size = plugin is "ramdisk" or "rd_mcp" ? 4096UL : 0, Wwn = "w" };
        switch (field)
        {
            case "write_back": so.WriteBack = true; break;
            case "readonly": so.Readonly = true; break;
            case "size": so.Size = 4096; break;
        }
        var config = new SanConfig();
        config.StorageObjects.Add(so);
        var ex = Assert.Throws<ConfigException>(() => ConfigValidator.Validate(config));
        Assert.Equal($"$.storage_objects[0].{field}", ex.JsonPath);
        Assert.Contains(reason, ex.Reason);
    }

    [Fact]
    public void Same_portal_on_different_targets_is_allowed()
    {
        // Fixture target 1 already has 0.0.0.0:3260 like target 0; parse must succeed.
        var config = SaveConfigReader.Parse(Fixtures.LioSaveConfig);
        Assert.Equal("0.0.0.0", config.Targets[1].Tpgs[0].Portals[1].IpAddress);
    }

    [Fact]
    public void Discovery_auth_enabled_without_credentials_is_refused()
    {
        var config = new SanConfig { DiscoveryAuth = { Enable = true } };
        var ex = Assert.Throws<ConfigException>(() => ConfigValidator.Validate(config));
        Assert.Equal("$.fabric_modules[0].discovery_userid", ex.JsonPath);
    }

    private static JsonObject So(JsonNode j, int i) => j["storage_objects"]![i]!.AsObject();
    private static JsonObject Target(JsonNode j) => j["targets"]![0]!.AsObject();
    private static JsonObject Tpg0(JsonNode j) => Target(j)["tpgs"]![0]!.AsObject();
    private static JsonObject Portal0(JsonNode j) => Tpg0(j)["portals"]![0]!.AsObject();
    private static JsonObject Lun(JsonNode j, int i) => Tpg0(j)["luns"]![i]!.AsObject();
    private static JsonObject Acl0(JsonNode j) => Tpg0(j)["node_acls"]![0]!.AsObject();
}
