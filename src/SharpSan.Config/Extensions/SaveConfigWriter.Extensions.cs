using System.Text.Json.Nodes;

namespace SharpSan.Config;

// Writes SharpSAN's own keys (see SaveConfigReader.Extensions), only when they carry something.
public static partial class SaveConfigWriter
{
    private static void AddDevice(JsonObject obj, DeviceConfig d)
    {
        if (d.IsDefault)
            return;
        obj[SaveConfigReader.DeviceKey] = new JsonObject
        {
            ["device_type"] = d.DeviceType,
            ["vendor_id"] = d.VendorId,
            ["product_id"] = d.ProductId,
            ["product_rev"] = d.ProductRevision,
            ["scsi_id"] = d.ScsiId,
            ["scsi_sn"] = d.ScsiSerial,
            ["removable"] = d.Removable,
            ["online"] = d.Online,
            ["readonly"] = d.Readonly,
            ["sense_format"] = d.DescriptorSense ? 1 : 0,
            ["thin_provisioning"] = d.ThinProvisioning,
            ["medium_present"] = d.MediumPresent,
            ["tgt_bstype"] = d.TgtBsType,
            ["tgt_bsoflags"] = d.TgtBsOFlags,
        };
        if (d.TgtBsPath.Length > 0)
            ((JsonObject)obj[SaveConfigReader.DeviceKey]!)["tgt_bspath"] = d.TgtBsPath;
    }

    private static void AddTgtTarget(JsonObject obj, TgtTargetConfig? t)
    {
        if (t is null)
            return;
        var tgt = new JsonObject
        {
            ["tid"] = t.Tid,
            ["initiator_addresses"] = Strings(t.InitiatorAddresses),
            ["initiator_names"] = Strings(t.InitiatorNames),
            ["incoming_users"] = Strings(t.IncomingUsers),
            ["outgoing_user"] = t.OutgoingUser,
            ["state"] = t.State,
            ["controller_lun"] = t.ControllerLun,
        };
        if (t.DeniedAddresses.Count > 0)
            tgt["denied_addresses"] = Strings(t.DeniedAddresses);
        if (t.DeniedNames.Count > 0)
            tgt["denied_names"] = Strings(t.DeniedNames);
        obj[SaveConfigReader.TgtKey] = tgt;
    }

    private static void AddTgtSystem(JsonObject root, TgtSystemConfig s)
    {
        if (s.IsDefault)
            return;
        root[SaveConfigReader.TgtKey] = new JsonObject
        {
            ["state"] = s.State,
            ["portals"] = Strings(s.Portals),
            ["accounts"] = new JsonArray(s.Accounts.Select(a => (JsonNode?)new JsonObject { ["user"] = a.User, ["password"] = a.Password }).ToArray()),
        };
    }

    private static JsonArray Strings(List<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
