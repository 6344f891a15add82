using System.Text.Json.Nodes;
using static SharpSan.Config.JsonPathBuilder;

namespace SharpSan.Config;

// targets[] -> tpgs[] -> portals/luns/node_acls -> mapped_luns, following rtslib target.py dump().
public static partial class SaveConfigReader
{
    private static TargetConfig ReadTarget(JsonFieldReader r, JsonNode? node, string path)
    {
        var obj = r.Object(node, path);
        var target = new TargetConfig
        {
            Wwn = r.RequiredString(obj, "wwn", path),
            // rtslib refuses a target without "fabric" ("missing 'fabric' field").
            Fabric = r.RequiredString(obj, "fabric", path),
        };
        var tpgs = r.OptionalArray(obj, "tpgs", path);
        var tagMissing = new List<int>();
        for (var i = 0; i < tpgs.Count; i++)
        {
            var tpgPath = Item(path, "tpgs", i);
            var tpgObj = r.Object(tpgs[i], tpgPath);
            if (!tpgObj.ContainsKey("tag"))
                tagMissing.Add(i);
            target.Tpgs.Add(ReadTpg(r, tpgObj, tpgPath));
        }
        AssignMissingTags(target, tagMissing);
        target.Tgt = ReadTgtTarget(r, obj, path);
        KeepExtras(obj, target.ExtraFields, "wwn", "fabric", "tpgs", TgtKey);
        return target;
    }

    /// <summary>rtslib creates a TPG without "tag" with the next free tag (highest + 1); do the same.</summary>
    private static void AssignMissingTags(TargetConfig target, List<int> missing)
    {
        if (missing.Count == 0)
            return;
        var used = new HashSet<ushort>();
        for (var i = 0; i < target.Tpgs.Count; i++)
        {
            if (!missing.Contains(i))
                used.Add(target.Tpgs[i].Tag);
        }
        foreach (var i in missing)
        {
            ushort tag = 1;
            while (used.Contains(tag) && tag < ushort.MaxValue)
                tag++;
            target.Tpgs[i].Tag = tag;
            used.Add(tag);
        }
    }

    private static TpgConfig ReadTpg(JsonFieldReader r, JsonObject obj, string path)
    {
        var tpg = new TpgConfig
        {
            // 0 is read here and refused by the validator with the range message.
            Tag = (ushort)r.UInt(obj, "tag", path, ushort.MaxValue, 1),
            // rtslib: tpg_obj.enable = tpg.get('enable', True)
            Enable = r.Bool(obj, "enable", path, true),
            ChapUserId = r.String(obj, "chap_userid", path, ""),
            ChapPassword = r.String(obj, "chap_password", path, ""),
            ChapMutualUserId = r.String(obj, "chap_mutual_userid", path, ""),
            ChapMutualPassword = r.String(obj, "chap_mutual_password", path, ""),
        };

        // LIO defaults when a file leaves an attribute out are the kernel's, not the model's.
        tpg.Authentication = false;
        tpg.GenerateNodeAcls = false;
        tpg.DemoModeWriteProtect = true;
        tpg.CacheDynamicAcls = false;
        var attrsPath = Prop(path, "attributes");
        foreach (var (key, value) in r.OptionalObject(obj, "attributes", path))
        {
            var keyPath = Prop(attrsPath, key);
            switch (key)
            {
                case "authentication": tpg.Authentication = r.Bool(NotNull(r, value, keyPath), keyPath); break;
                case "generate_node_acls": tpg.GenerateNodeAcls = r.Bool(NotNull(r, value, keyPath), keyPath); break;
                case "demo_mode_write_protect": tpg.DemoModeWriteProtect = r.Bool(NotNull(r, value, keyPath), keyPath); break;
                case "cache_dynamic_acls": tpg.CacheDynamicAcls = r.Bool(NotNull(r, value, keyPath), keyPath); break;
                default: tpg.ExtraAttributes[key] = value?.DeepClone(); break;
            }
        }

        var paramsPath = Prop(path, "parameters");
        foreach (var (key, value) in r.OptionalObject(obj, "parameters", path))
        {
            // rtslib dumps parameters as the strings configfs holds ("8192", "CRC32C,None").
            if (value is null || value.GetValueKind() != System.Text.Json.JsonValueKind.String)
                throw r.Error(Prop(paramsPath, key), $"expected a string, found {JsonFieldReader.Describe(value)}");
            tpg.Parameters[key] = value.GetValue<string>();
        }

        var portals = r.OptionalArray(obj, "portals", path);
        for (var i = 0; i < portals.Count; i++)
            tpg.Portals.Add(ReadPortal(r, portals[i], Item(path, "portals", i)));
        var luns = r.OptionalArray(obj, "luns", path);
        for (var i = 0; i < luns.Count; i++)
            tpg.Luns.Add(ReadLun(r, luns[i], Item(path, "luns", i)));
        var acls = r.OptionalArray(obj, "node_acls", path);
        for (var i = 0; i < acls.Count; i++)
            tpg.NodeAcls.Add(ReadNodeAcl(r, acls[i], Item(path, "node_acls", i)));

        KeepExtras(obj, tpg.ExtraFields, ["tag", "enable", "attributes", "parameters", "portals", "luns", "node_acls", .. LioFormat.ChapKeys]);
        return tpg;
    }

    private static PortalConfig ReadPortal(JsonFieldReader r, JsonNode? node, string path)
    {
        var obj = r.Object(node, path);
        var ip = r.RequiredString(obj, "ip_address", path);
        // LIO names IPv6 portals "[addr]" (its configfs directory is "[addr]:port"); the model holds
        // the bare literal. A lone bracket is left as is for the validator to refuse.
        if (ip.Length >= 2 && ip[0] == '[' && ip[^1] == ']')
            ip = ip[1..^1];
        var portal = new PortalConfig
        {
            IpAddress = ip,
            // Range 1..65535 is the validator's; the reader only refuses what cannot be a port at all.
            Port = (int)r.UInt(obj, "port", path, ushort.MaxValue, 0, required: true),
            Iser = r.Bool(obj, "iser", path, false),
            Offload = r.Bool(obj, "offload", path, false),
        };
        KeepExtras(obj, portal.ExtraFields, "ip_address", "port", "iser", "offload");
        return portal;
    }

    private static LunConfig ReadLun(JsonFieldReader r, JsonNode? node, string path)
    {
        var obj = r.Object(node, path);
        var lun = new LunConfig
        {
            Index = r.UInt(obj, "index", path, ulong.MaxValue, 0, required: true),
            StorageObject = NormalizeSoPath(r.RequiredString(obj, "storage_object", path)),
            Alias = r.String(obj, "alias", path, ""),
            AluaTgPtGp = r.String(obj, "alua_tg_pt_gp_name", path, LioFormat.DefaultAluaGroup),
        };
        KeepExtras(obj, lun.ExtraFields, "index", "storage_object", "alias", "alua_tg_pt_gp_name");
        return lun;
    }

    /// <summary>"/backstores/rd_mcp/x" and "/backstores/iblock/x" name the same objects as ramdisk/block.</summary>
    private static string NormalizeSoPath(string soPath)
    {
        var parts = soPath.Split('/');
        if (parts.Length == 4 && parts[0].Length == 0 && parts[1] == "backstores" && LioFormat.CanonicalPlugin(parts[2]) is { } plugin)
            return $"/backstores/{plugin}/{parts[3]}";
        return soPath;
    }

    private static NodeAclConfig ReadNodeAcl(JsonFieldReader r, JsonNode? node, string path)
    {
        var obj = r.Object(node, path);
        var acl = new NodeAclConfig
        {
            NodeWwn = r.RequiredString(obj, "node_wwn", path),
            Tag = r.String(obj, "tag", path, ""),
            ChapUserId = r.String(obj, "chap_userid", path, ""),
            ChapPassword = r.String(obj, "chap_password", path, ""),
            ChapMutualUserId = r.String(obj, "chap_mutual_userid", path, ""),
            ChapMutualPassword = r.String(obj, "chap_mutual_password", path, ""),
        };
        foreach (var (key, value) in r.OptionalObject(obj, "attributes", path))
            acl.ExtraAttributes[key] = value?.DeepClone();
        var mapped = r.OptionalArray(obj, "mapped_luns", path);
        for (var i = 0; i < mapped.Count; i++)
            acl.MappedLuns.Add(ReadMappedLun(r, mapped[i], Item(path, "mapped_luns", i)));
        KeepExtras(obj, acl.ExtraFields, ["node_wwn", "tag", "attributes", "mapped_luns", .. LioFormat.ChapKeys]);
        return acl;
    }

    private static MappedLunConfig ReadMappedLun(JsonFieldReader r, JsonNode? node, string path)
    {
        var obj = r.Object(node, path);
        var mlun = new MappedLunConfig
        {
            Index = r.UInt(obj, "index", path, ulong.MaxValue, 0, required: true),
            TpgLun = r.UInt(obj, "tpg_lun", path, ulong.MaxValue, 0, required: true),
            WriteProtect = r.Bool(obj, "write_protect", path, false),
            Alias = r.String(obj, "alias", path, ""),
        };
        KeepExtras(obj, mlun.ExtraFields, "index", "tpg_lun", "write_protect", "alias");
        return mlun;
    }

    private static JsonNode NotNull(JsonFieldReader r, JsonNode? value, string path)
        => value ?? throw r.Error(path, "expected 0 or 1, found null");
}
