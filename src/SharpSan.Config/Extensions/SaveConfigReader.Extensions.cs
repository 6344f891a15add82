using System.Text.Json.Nodes;
using static SharpSan.Config.JsonPathBuilder;

namespace SharpSan.Config;

// SharpSAN's own keys in saveconfig.json: "sharpsan_device" (storage object), "sharpsan_tgt" (target
// and root). rtslib ignores keys it does not know, so a file carrying them still restores on LIO.
public static partial class SaveConfigReader
{
    internal const string DeviceKey = "sharpsan_device";
    internal const string TgtKey = "sharpsan_tgt";

    private static DeviceConfig ReadDevice(JsonFieldReader r, JsonObject parent, string parentPath)
    {
        var d = new DeviceConfig();
        if (parent[DeviceKey] is null)
            return d;
        var obj = r.OptionalObject(parent, DeviceKey, parentPath);
        var path = Prop(parentPath, DeviceKey);
        d.DeviceType = r.String(obj, "device_type", path, DeviceConfig.Disk);
        d.VendorId = r.String(obj, "vendor_id", path, "");
        d.ProductId = r.String(obj, "product_id", path, "");
        d.ProductRevision = r.String(obj, "product_rev", path, "");
        d.ScsiId = r.String(obj, "scsi_id", path, "");
        d.ScsiSerial = r.String(obj, "scsi_sn", path, "");
        d.Removable = r.Bool(obj, "removable", path, false);
        d.Online = r.Bool(obj, "online", path, true);
        d.Readonly = r.Bool(obj, "readonly", path, false);
        d.DescriptorSense = r.UInt(obj, "sense_format", path, 1, 0) == 1;
        d.ThinProvisioning = r.Bool(obj, "thin_provisioning", path, false);
        d.MediumPresent = r.Bool(obj, "medium_present", path, true);
        d.TgtBsType = r.String(obj, "tgt_bstype", path, "");
        d.TgtBsOFlags = r.String(obj, "tgt_bsoflags", path, "");
        d.TgtBsPath = r.String(obj, "tgt_bspath", path, "");
        Refuse(r, obj, path, "device_type", "vendor_id", "product_id", "product_rev", "scsi_id", "scsi_sn", "removable", "online",
            "readonly", "sense_format", "thin_provisioning", "medium_present", "tgt_bstype", "tgt_bsoflags", "tgt_bspath");
        return d;
    }

    private static TgtTargetConfig? ReadTgtTarget(JsonFieldReader r, JsonObject parent, string parentPath)
    {
        if (parent[TgtKey] is null)
            return null;
        var obj = r.OptionalObject(parent, TgtKey, parentPath);
        var path = Prop(parentPath, TgtKey);
        var t = new TgtTargetConfig
        {
            Tid = (int)r.UInt(obj, "tid", path, int.MaxValue, 0, required: true),
            OutgoingUser = r.String(obj, "outgoing_user", path, ""),
            State = r.String(obj, "state", path, TgtSystemConfig.Ready),
            ControllerLun = r.Bool(obj, "controller_lun", path, true),
        };
        t.InitiatorAddresses.AddRange(Strings(r, obj, "initiator_addresses", path));
        t.InitiatorNames.AddRange(Strings(r, obj, "initiator_names", path));
        t.IncomingUsers.AddRange(Strings(r, obj, "incoming_users", path));
        // IET's deny rules (initiators.deny); written only when there are some, so tgt files stay as they were.
        t.DeniedAddresses.AddRange(Strings(r, obj, "denied_addresses", path));
        t.DeniedNames.AddRange(Strings(r, obj, "denied_names", path));
        Refuse(r, obj, path, "tid", "outgoing_user", "state", "controller_lun", "initiator_addresses", "initiator_names", "incoming_users",
            "denied_addresses", "denied_names");
        return t;
    }

    private static TgtSystemConfig ReadTgtSystem(JsonFieldReader r, JsonObject parent, string parentPath)
    {
        var s = new TgtSystemConfig();
        if (parent[TgtKey] is null)
            return s;
        var obj = r.OptionalObject(parent, TgtKey, parentPath);
        var path = Prop(parentPath, TgtKey);
        s.State = r.String(obj, "state", path, TgtSystemConfig.Ready);
        s.Portals.AddRange(Strings(r, obj, "portals", path));
        var accounts = r.OptionalArray(obj, "accounts", path);
        for (var i = 0; i < accounts.Count; i++)
        {
            var aPath = Item(path, "accounts", i);
            var a = r.Object(accounts[i], aPath);
            s.Accounts.Add(new TgtAccountConfig { User = r.RequiredString(a, "user", aPath), Password = r.String(a, "password", aPath, "") });
            Refuse(r, a, aPath, "user", "password");
        }
        Refuse(r, obj, path, "state", "portals", "accounts");
        return s;
    }

    private static IEnumerable<string> Strings(JsonFieldReader r, JsonObject obj, string key, string parentPath)
    {
        var array = r.OptionalArray(obj, key, parentPath);
        var list = new List<string>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = Index(Prop(parentPath, key), i);
            if (array[i] is not JsonValue v || !v.TryGetValue<string>(out var s))
                throw r.Error(itemPath, $"expected a string, found {JsonFieldReader.Describe(array[i])}");
            list.Add(s);
        }
        return list;
    }

    /// <summary>Our own keys are ours to define: an unknown one is a typo, not a newer LIO's field.</summary>
    private static void Refuse(JsonFieldReader r, JsonObject obj, string path, params string[] known)
    {
        foreach (var (key, _) in obj)
            if (System.Array.IndexOf(known, key) < 0)
                throw r.Error(Prop(path, key), "unknown key");
    }
}
