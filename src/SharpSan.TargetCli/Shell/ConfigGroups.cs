using SharpSan.Config;
using System.Globalization;
using System.Text.Json.Nodes;
using SharpSan.TargetCli.Tree;

namespace SharpSan.TargetCli.Shell;

/// <summary>
/// targetcli's configuration groups (set/get GROUP ...): "global" everywhere; "attribute",
/// "parameter" and "auth" on TPGs; "auth" on ACLs; "attribute" on storage objects;
/// "discovery_auth" on /iscsi; "alua" on LUNs and ALUA target port groups. Values are read from and written to the tree.
/// </summary>
internal static class ConfigGroups
{
    private static readonly string[] AuthParams = ["userid", "password", "mutual_userid", "mutual_password"];

    public static List<string> For(TreeNode node)
    {
        var groups = new List<string>();
        switch (node.Kind)
        {
            case NodeKind.StorageObject: groups.Add("attribute"); break;
            case NodeKind.Iscsi: groups.Add("discovery_auth"); break;
            case NodeKind.Tpg: groups.AddRange(["attribute", "auth", "parameter"]); break;
            case NodeKind.Acl: groups.Add("auth"); break;
            case NodeKind.Lun: groups.Add("alua"); break;
            case NodeKind.AluaGroup: groups.Add("alua"); break;
        }
        groups.Add("global");
        groups.Sort(StringComparer.Ordinal);
        return groups;
    }

    public static List<GroupParam> Params(TreeNode node, string group)
    {
        switch (group)
        {
            case "global":
                return Prefs.Definitions.Select(d => new GroupParam(d.Name, d.Type, d.Description)).ToList();
            case "attribute" when node.Kind == NodeKind.Tpg:
                return TpgDefaults.Attributes.Select(a => new GroupParam(a.Name, "number", a.Description)).ToList();
            case "attribute" when node.Kind == NodeKind.StorageObject:
            {
                var list = new List<GroupParam> { new("block_size", "number", "Block size of the underlying device.", node.Plugin != "pscsi") };
                // The provisioning attributes SharpSAN honours can be set; any other LIO attribute is shown as kept.
                list.AddRange(LioStorageAttributes.Honoured.Select(a => new GroupParam(a.Name, "number", a.Description)));
                list.AddRange(node.StorageObject!.ExtraAttributes.Keys.Where(k => k != "block_size" && LioStorageAttributes.Find(k) is null)
                    .Order(StringComparer.Ordinal).Select(k => new GroupParam(k, "string", "", Writable: false)));
                return list;
            }
            case "parameter" when node.Kind == NodeKind.Tpg:
                return TpgDefaults.Parameters.Select(p => new GroupParam(p.Name, p.Type, p.Description)).ToList();
            case "auth" when node.Kind is NodeKind.Tpg or NodeKind.Acl:
                return AuthParams.Select(p => new GroupParam(p, "string", $"The {p} auth parameter.")).ToList();
            case "discovery_auth" when node.Kind == NodeKind.Iscsi:
                return new[] { "enable" }.Concat(AuthParams)
                    .Select(p => new GroupParam(p, p == "enable" ? "number" : "string", $"The {p} discovery_auth parameter.")).ToList();
            case "alua" when node.Kind == NodeKind.Lun:
                return [new GroupParam("alua_tg_pt_gp_name", "string", "The ALUA target port group of this LUN.")];
            case "alua" when node.Kind == NodeKind.AluaGroup:
                return AluaCommands.Params();
            default:
                return [];
        }
    }

    /// <summary>The value as targetcli displays it.</summary>
    public static string Get(CommandContext ctx, TreeNode node, string group, string name)
    {
        switch (group)
        {
            case "global":
                return ctx.Shell.Prefs.Get(name);
            case "attribute" when node.Kind == NodeKind.Tpg:
                return TpgDefaults.GetAttribute(node.Tpg!, name).ToString(CultureInfo.InvariantCulture);
            case "attribute":
                if (name == "block_size")
                    return node.StorageObject!.BlockSize.ToString(CultureInfo.InvariantCulture);
                if (LioStorageAttributes.Find(name) is { } honoured)
                    return (honoured.ValueIn(node.StorageObject!.ExtraAttributes) ?? honoured.Default).ToString(CultureInfo.InvariantCulture);
                return node.StorageObject!.ExtraAttributes.TryGetValue(name, out var v) ? JsonText(v) : "n/a";
            case "parameter":
                return node.Tpg!.Parameters.TryGetValue(name, out var p) ? p : "n/a";
            case "auth":
                return ChapCredentials.Of(node)[name];
            case "discovery_auth":
                var d = ctx.Config.DiscoveryAuth;
                return name == "enable" ? (d.Enable ? "True" : "False") : ChapCredentials.Of(d)[name];
            case "alua" when node.Kind == NodeKind.AluaGroup:
                return AluaCommands.Get(ctx, node, name);
            case "alua":
                return node.Lun!.AluaTgPtGp;
            default:
                return "n/a";
        }
    }

    /// <summary>Checks and applies one value to the tree (or the preferences for "global").</summary>
    public static void Set(CommandContext ctx, TreeNode node, string group, GroupParam param, string value)
    {
        var name = param.Name;
        switch (group)
        {
            case "global":
                ctx.Shell.Prefs.Set(name, value);
                return;
            case "attribute" when node.Kind == NodeKind.Tpg:
            {
                var number = ParseNumber(name, value);
                if (TpgDefaults.Honoured.FirstOrDefault(a => a.Name == name) is not { } range)
                    throw new CliException($"Cannot set attribute {name}: not supported by SharpSAN (kept at LIO's default {TpgDefaults.GetAttribute(node.Tpg!, name)})");
                if (number < range.Min || number > range.Max)
                    throw new CliException(range is { Min: 0, Max: 1 }
                        ? $"Cannot set attribute {name}: Invalid argument (0 or 1)"
                        : $"Cannot set attribute {name}: Invalid argument ({range.Min} to {range.Max})");
                var on = number == 1;
                var tpg = node.Tpg!;
                switch (name)
                {
                    case "authentication": tpg.Authentication = on; break;
                    case "cache_dynamic_acls": tpg.CacheDynamicAcls = on; break;
                    case "demo_mode_write_protect": tpg.DemoModeWriteProtect = on; break;
                    case "generate_node_acls": tpg.GenerateNodeAcls = on; break;
                    default: tpg.ExtraAttributes[name] = System.Text.Json.Nodes.JsonValue.Create(number); break;
                }
                return;
            }
            case "attribute" when LioStorageAttributes.Find(name) is { } provisioning:
            {
                // Thin provisioning and its limits (SBC-3 4.7) change on a live LUN, as LIO's do; the
                // daemon refuses emulate_tpu / emulate_tpws on a backstore that cannot deallocate.
                var number = ParseNumber(name, value);
                if (number < provisioning.Min || number > provisioning.Max)
                    throw new CliException(provisioning is { Min: 0, Max: 1 }
                        ? $"Cannot set attribute {name}: Invalid argument (0 or 1)"
                        : $"Cannot set attribute {name}: Invalid argument ({provisioning.Min} to {provisioning.Max})");
                if (node.StorageObject!.Device.IsCd && number != 0 && name is "emulate_tpu" or "emulate_tpws")
                    throw new CliException($"Cannot set attribute {name}: a cd has nothing to unmap");
                node.StorageObject!.ExtraAttributes[name] = JsonValue.Create(number);
                return;
            }
            case "attribute":
            {
                if (name != "block_size")
                    throw new CliException($"Cannot set attribute {name}: not supported by SharpSAN");
                var number = ParseNumber(name, value);
                if (ctx.Config.Targets.Any(t => t.Tpgs.Any(g => g.Luns.Any(l => l.StorageObject == node.StorageObject!.Path))))
                    throw new CliException($"Cannot set attribute {name}: Device or resource busy (the storage object is used by a LUN)");
                node.StorageObject!.BlockSize = number;
                return;
            }
            case "parameter":
                node.Tpg!.Parameters[name] = param.Type switch
                {
                    "number" => ParseNumber(name, value).ToString(CultureInfo.InvariantCulture),
                    "yesno" => value is "Yes" or "No" ? value : throw new CliException($"Not setting {name}! Syntax error, '{value}' is not Yes|No."),
                    _ => value.Length > 0 ? value : throw new CliException($"Cannot set parameter {name}: empty value"),
                };
                return;
            case "auth":
                ChapCredentials.Of(node).With(name, value).WriteTo(node);
                return;
            case "discovery_auth":
            {
                var d = ctx.Config.DiscoveryAuth;
                if (name != "enable")
                {
                    ChapCredentials.Of(d).With(name, value).WriteTo(d);
                    return;
                }
                d.Enable = value.Length == 0 ? false : value.ToLowerInvariant() switch
                {
                    "1" or "true" => true,
                    "0" or "false" => false,
                    _ => throw new CliException($"Not setting enable! Syntax error, '{value}' is not a NUMBER."),
                };
                return;
            }
            case "alua" when node.Kind == NodeKind.AluaGroup:
                AluaCommands.Set(node, name, value);
                return;
            case "alua":
            {
                if (value.Length == 0)
                    return;
                var so = TreeBuilder.FindStorageObject(ctx.Config, node.Lun!.StorageObject);
                if (so is null || TreeBuilder.AluaGroupsOf(so).All(g => g.Name != value))
                    throw new CliException($"ALUA target port group {value} does not exist on {node.Lun.StorageObject}");
                node.Lun.AluaTgPtGp = value;
                return;
            }
        }
    }

    private static int ParseNumber(string name, string value)
        => int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new CliException($"Not setting {name}! Syntax error, '{value}' is not a NUMBER.");

    private static string JsonText(JsonNode? node)
        => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "n/a";
}
