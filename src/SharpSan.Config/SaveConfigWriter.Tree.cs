using System.Text.Json.Nodes;

namespace SharpSan.Config;

// Object tree -> JSON tree with exactly the keys rtslib-fb's dump() methods produce. Key order does not
// matter here: the emitter sorts.
public static partial class SaveConfigWriter
{
    private static JsonObject BuildRoot(SanConfig config)
    {
        var root = new JsonObject();
        AddExtras(root, config.ExtraFields);
        var fabricModules = new JsonArray();
        // rtslib only dumps the iscsi module when discovery auth is enabled; credentials that are set
        // while it is disabled are written too so that a save does not silently drop them.
        var auth = config.DiscoveryAuth;
        if (auth.Enable || auth.UserId.Length > 0 || auth.Password.Length > 0 || auth.MutualUserId.Length > 0 || auth.MutualPassword.Length > 0)
        {
            var fm = new JsonObject { ["name"] = LioFormat.IscsiFabric, ["discovery_enable_auth"] = auth.Enable };
            AddIfSet(fm, "discovery_userid", auth.UserId);
            AddIfSet(fm, "discovery_password", auth.Password);
            AddIfSet(fm, "discovery_mutual_userid", auth.MutualUserId);
            AddIfSet(fm, "discovery_mutual_password", auth.MutualPassword);
            fabricModules.Add(fm);
        }
        root["fabric_modules"] = fabricModules;
        root["storage_objects"] = new JsonArray(config.StorageObjects.Select(BuildStorageObject).ToArray<JsonNode?>());
        root["targets"] = new JsonArray(config.Targets.Select(BuildTarget).ToArray<JsonNode?>());
        AddTgtSystem(root, config.Tgt);
        return root;
    }

    private static JsonObject BuildStorageObject(StorageObjectConfig so)
    {
        var obj = new JsonObject();
        AddExtras(obj, so.ExtraFields);
        obj["name"] = so.Name;
        obj["plugin"] = so.Plugin;
        if (LioFormat.HasDev(so.Plugin)) obj["dev"] = so.Dev;
        if (LioFormat.HasSize(so.Plugin)) obj["size"] = so.Size;
        if (LioFormat.HasWriteBack(so.Plugin)) obj["write_back"] = so.WriteBack;
        if (LioFormat.HasReadonly(so.Plugin)) obj["readonly"] = so.Readonly;
        if (so.NullIo) obj["nullio"] = true;
        if (LioFormat.HasWwn(so.Plugin)) obj["wwn"] = so.Wwn;
        AddDevice(obj, so.Device);
        obj["alua_tpgs"] = BuildAluaGroups(so);

        var attributes = new JsonObject();
        AddExtras(attributes, so.ExtraAttributes);
        if (LioFormat.HasBlockSize(so.Plugin))
            attributes["block_size"] = so.BlockSize;
        // CFSNode.dump() leaves "attributes" out when there are none.
        if (attributes.Count > 0)
            obj["attributes"] = attributes;
        return obj;
    }

    private static JsonObject BuildTarget(TargetConfig target)
    {
        var obj = new JsonObject();
        AddExtras(obj, target.ExtraFields);
        obj["fabric"] = target.Fabric;
        obj["wwn"] = target.Wwn;
        obj["tpgs"] = new JsonArray(target.Tpgs.Select(BuildTpg).ToArray<JsonNode?>());
        AddTgtTarget(obj, target.Tgt);
        return obj;
    }

    private static JsonObject BuildTpg(TpgConfig tpg)
    {
        var obj = new JsonObject();
        AddExtras(obj, tpg.ExtraFields);
        obj["tag"] = tpg.Tag;
        // TPG._get_enable returns a Python bool: JSON true/false.
        obj["enable"] = tpg.Enable;

        // Attributes are dumped as int(value): 0/1, not booleans.
        var attributes = new JsonObject();
        AddExtras(attributes, tpg.ExtraAttributes);
        attributes["authentication"] = tpg.Authentication ? 1 : 0;
        attributes["cache_dynamic_acls"] = tpg.CacheDynamicAcls ? 1 : 0;
        attributes["demo_mode_write_protect"] = tpg.DemoModeWriteProtect ? 1 : 0;
        attributes["generate_node_acls"] = tpg.GenerateNodeAcls ? 1 : 0;
        obj["attributes"] = attributes;

        if (tpg.Parameters.Count > 0)
        {
            var parameters = new JsonObject();
            foreach (var (key, value) in tpg.Parameters)
                parameters[key] = value;
            obj["parameters"] = parameters;
        }

        // TPG.dump() writes only non-empty CHAP values.
        AddIfSet(obj, "chap_userid", tpg.ChapUserId);
        AddIfSet(obj, "chap_password", tpg.ChapPassword);
        AddIfSet(obj, "chap_mutual_userid", tpg.ChapMutualUserId);
        AddIfSet(obj, "chap_mutual_password", tpg.ChapMutualPassword);

        obj["portals"] = new JsonArray(tpg.Portals.Select(BuildPortal).ToArray<JsonNode?>());
        obj["luns"] = new JsonArray(tpg.Luns.Select(BuildLun).ToArray<JsonNode?>());
        obj["node_acls"] = new JsonArray(tpg.NodeAcls.Select(BuildNodeAcl).ToArray<JsonNode?>());
        return obj;
    }

    private static JsonObject BuildPortal(PortalConfig portal)
    {
        var obj = new JsonObject();
        AddExtras(obj, portal.ExtraFields);
        // rtslib/targetcli name IPv6 portals with brackets ("[::0]"), IPv4 as a dotted quad.
        obj["ip_address"] = portal.IpAddress.Contains(':') ? $"[{portal.IpAddress}]" : portal.IpAddress;
        obj["port"] = portal.Port;
        obj["iser"] = portal.Iser;
        obj["offload"] = portal.Offload;
        return obj;
    }

    private static JsonObject BuildLun(LunConfig lun)
    {
        var obj = new JsonObject();
        AddExtras(obj, lun.ExtraFields);
        obj["index"] = lun.Index;
        obj["storage_object"] = lun.StorageObject;
        obj["alias"] = lun.Alias;
        obj["alua_tg_pt_gp_name"] = lun.AluaTgPtGp;
        return obj;
    }

    private static JsonObject BuildNodeAcl(NodeAclConfig acl)
    {
        var obj = new JsonObject();
        AddExtras(obj, acl.ExtraFields);
        obj["node_wwn"] = acl.NodeWwn;
        if (acl.ExtraAttributes.Count > 0)
        {
            var attributes = new JsonObject();
            AddExtras(attributes, acl.ExtraAttributes);
            obj["attributes"] = attributes;
        }
        AddIfSet(obj, "tag", acl.Tag);
        AddIfSet(obj, "chap_userid", acl.ChapUserId);
        AddIfSet(obj, "chap_password", acl.ChapPassword);
        AddIfSet(obj, "chap_mutual_userid", acl.ChapMutualUserId);
        AddIfSet(obj, "chap_mutual_password", acl.ChapMutualPassword);
        obj["mapped_luns"] = new JsonArray(acl.MappedLuns.Select(BuildMappedLun).ToArray<JsonNode?>());
        return obj;
    }

    private static JsonObject BuildMappedLun(MappedLunConfig mlun)
    {
        var obj = new JsonObject();
        AddExtras(obj, mlun.ExtraFields);
        obj["index"] = mlun.Index;
        obj["tpg_lun"] = mlun.TpgLun;
        obj["write_protect"] = mlun.WriteProtect;
        obj["alias"] = mlun.Alias;
        return obj;
    }

    private static void AddIfSet(JsonObject obj, string key, string value)
    {
        if (value.Length > 0)
            obj[key] = value;
    }

    /// <summary>Extras go in first so the modelled values, set afterwards, win on a clash.</summary>
    private static void AddExtras(JsonObject obj, Dictionary<string, JsonNode?> extras)
    {
        foreach (var (key, value) in extras)
            obj[key] = value?.DeepClone();
    }
}
