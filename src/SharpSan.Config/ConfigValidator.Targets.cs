using System.Globalization;
using System.Net;
using System.Net.Sockets;
using static SharpSan.Config.JsonPathBuilder;

namespace SharpSan.Config;

// Targets, TPGs, portals, LUNs, ACLs and mapped LUNs.
public static partial class ConfigValidator
{
    /// <summary>LIO's LUN.MAX_TARGET_LUN and the mapped LUN limit.</summary>
    private const ulong MaxLun = 65535;

    private static void ValidateTargets(Checker v, List<TargetConfig> targets, HashSet<string> storagePaths)
    {
        // iSCSI names compare case-insensitively (RFC 3722 folds case), so two spellings are one target.
        var seenTargets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var t = 0; t < targets.Count; t++)
        {
            var target = targets[t];
            var path = Item(Root, "targets", t);
            v.Require(target.Fabric == LioFormat.IscsiFabric, Prop(path, "fabric"), $"fabric \"{target.Fabric}\" not supported (only iscsi)");
            var nameError = target.Tgt is null ? IscsiName.Check(target.Wwn) : TgtTargetName(target.Wwn);
            v.Require(nameError is null, Prop(path, "wwn"), nameError ?? "");
            v.Require(seenTargets.TryAdd(target.Wwn, path), Prop(path, "wwn"),
                $"duplicate target \"{target.Wwn}\" (also at {(seenTargets.TryGetValue(target.Wwn, out var first) ? first : "")})");

            var seenTags = new Dictionary<ushort, string>();
            // The kernel (iscsit_tpg_add_network_portal) refuses a portal that "already exists on a
            // different TPG" of the same target; different targets may share one (every targetcli
            // target gets [::0]:3260).
            var seenPortals = new Dictionary<IPEndPoint, string>();
            for (var g = 0; g < target.Tpgs.Count; g++)
            {
                var tpg = target.Tpgs[g];
                var tpgPath = Item(path, "tpgs", g);
                v.Require(tpg.Tag >= 1, Prop(tpgPath, "tag"), $"tag {tpg.Tag} is out of range (1..65535)");
                v.Require(seenTags.TryAdd(tpg.Tag, tpgPath), Prop(tpgPath, "tag"),
                    $"duplicate tag {tpg.Tag} (also at {(seenTags.TryGetValue(tpg.Tag, out var firstTpg) ? firstTpg : "")})");
                ValidateTpg(v, tpg, tpgPath, storagePaths, seenPortals);
            }
        }
    }

    /// <summary>
    /// tgt names its targets by its own rule, not RFC 3720's (usr/target.c tgt_target_create: letters,
    /// digits, ':', '.', '-'), so a tgt target keeps names such as seed 001's
    /// "iqn.joinc.com.example:storage.disk1" that the iqn grammar refuses.
    /// </summary>
    private static string? TgtTargetName(string name)
    {
        if (name.Length == 0) return "empty target name";
        if (System.Text.Encoding.UTF8.GetByteCount(name) > IscsiName.MaxLength) return $"iSCSI name longer than {IscsiName.MaxLength} bytes";
        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '.' or '-') ? null
            : $"tgt target name \"{name}\" may hold letters, digits, ':', '.' and '-' only";
    }

    private static void ValidateTpg(Checker v, TpgConfig tpg, string path, HashSet<string> storagePaths, Dictionary<IPEndPoint, string> seenPortals)
    {
        ValidateChap(v, path, "chap_", tpg.ChapUserId, tpg.ChapPassword, tpg.ChapMutualUserId, tpg.ChapMutualPassword);
        ValidateAttributes(v, tpg.ExtraAttributes, Prop(path, "attributes"), LioAttributes.FindTpg);
        foreach (var (key, _) in tpg.Parameters)
            v.Require(key.Length > 0, Prop(Prop(path, "parameters"), key), "empty parameter name");

        for (var p = 0; p < tpg.Portals.Count; p++)
        {
            var portal = tpg.Portals[p];
            var portalPath = Item(path, "portals", p);
            var address = ParseIpLiteral(portal.IpAddress);
            v.Require(address is not null, Prop(portalPath, "ip_address"),
                $"\"{portal.IpAddress}\" is not an IPv4 (dotted quad) or IPv6 address literal");
            v.Require(portal.Port is >= 1 and <= 65535, Prop(portalPath, "port"), $"port {portal.Port} is out of range (1..65535)");
            var endpoint = new IPEndPoint(address!, portal.Port);
            v.Require(seenPortals.TryAdd(endpoint, portalPath), portalPath,
                $"portal {FormatEndpoint(portal)} is already used by {(seenPortals.TryGetValue(endpoint, out var other) ? other : "")} (LIO allows one TPG per portal within a target)");
        }

        var lunIndexes = new Dictionary<ulong, string>();
        for (var l = 0; l < tpg.Luns.Count; l++)
        {
            var lun = tpg.Luns[l];
            var lunPath = Item(path, "luns", l);
            v.Require(lun.Index <= MaxLun, Prop(lunPath, "index"), $"LUN {lun.Index} is out of range (0..{MaxLun})");
            v.Require(lunIndexes.TryAdd(lun.Index, lunPath), Prop(lunPath, "index"),
                $"duplicate LUN {lun.Index} (also at {(lunIndexes.TryGetValue(lun.Index, out var firstLun) ? firstLun : "")})");
            v.Require(storagePaths.Contains(lun.StorageObject), Prop(lunPath, "storage_object"), $"no storage object \"{lun.StorageObject}\"");
            v.Require(lun.AluaTgPtGp.Length > 0, Prop(lunPath, "alua_tg_pt_gp_name"), "empty ALUA target port group name");
        }

        var acls = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var a = 0; a < tpg.NodeAcls.Count; a++)
        {
            var acl = tpg.NodeAcls[a];
            var aclPath = Item(path, "node_acls", a);
            v.Require(IscsiName.Check(acl.NodeWwn) is null, Prop(aclPath, "node_wwn"), IscsiName.Check(acl.NodeWwn) ?? "");
            v.Require(acls.TryAdd(acl.NodeWwn, aclPath), Prop(aclPath, "node_wwn"),
                $"duplicate ACL for \"{acl.NodeWwn}\" (also at {(acls.TryGetValue(acl.NodeWwn, out var firstAcl) ? firstAcl : "")})");
            ValidateChap(v, aclPath, "chap_", acl.ChapUserId, acl.ChapPassword, acl.ChapMutualUserId, acl.ChapMutualPassword);
            ValidateAttributes(v, acl.ExtraAttributes, Prop(aclPath, "attributes"), LioAttributes.FindNodeAcl);

            var mapped = new Dictionary<ulong, string>();
            for (var m = 0; m < acl.MappedLuns.Count; m++)
            {
                var mlun = acl.MappedLuns[m];
                var mPath = Item(aclPath, "mapped_luns", m);
                v.Require(mlun.Index <= MaxLun, Prop(mPath, "index"), $"mapped LUN {mlun.Index} is out of range (0..{MaxLun})");
                v.Require(mapped.TryAdd(mlun.Index, mPath), Prop(mPath, "index"),
                    $"duplicate mapped LUN {mlun.Index} (also at {(mapped.TryGetValue(mlun.Index, out var firstM) ? firstM : "")})");
                v.Require(lunIndexes.ContainsKey(mlun.TpgLun), Prop(mPath, "tpg_lun"), $"no LUN {mlun.TpgLun} in this TPG");
            }
        }
    }

    /// <summary>
    /// Every attribute LIO defines must be an integer in the kernel's range (what its configfs store
    /// function accepts); the daemon then reads it without a fallback. Attributes LIO does not define
    /// (other kernel versions) are kept as they are.
    /// </summary>
    private static void ValidateAttributes(Checker v, Dictionary<string, System.Text.Json.Nodes.JsonNode?> attributes, string path,
        Func<string, LioAttribute?> find)
    {
        foreach (var (key, value) in attributes)
        {
            if (find(key) is not { } attribute) continue;
            v.Require(LioAttribute.TryRead(value, out var n), Prop(path, key), $"{key} must be an integer ({attribute.Min} to {attribute.Max})");
            v.Require(n >= attribute.Min && n <= attribute.Max, Prop(path, key), $"{key} {n} is out of range ({attribute.Min} to {attribute.Max})");
        }
    }

    /// <summary>
    /// Strict address literal: IPv4 only as a dotted quad (IPAddress.TryParse would take "10.1" or "7"),
    /// IPv6 without brackets, port or zone (targetcli does not support link-local portals).
    /// </summary>
    internal static IPAddress? ParseIpLiteral(string text)
    {
        if (!IPAddress.TryParse(text, out var address))
            return null;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var parts = text.Split('.');
            return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit)
                && int.Parse(p, CultureInfo.InvariantCulture) <= 255) ? address : null;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return text.All(c => char.IsAsciiHexDigit(c) || c is ':' or '.') ? address : null;
        return null;
    }

    private static string FormatEndpoint(PortalConfig portal)
        => portal.IpAddress.Contains(':') ? $"[{portal.IpAddress}]:{portal.Port}" : $"{portal.IpAddress}:{portal.Port}";
}
