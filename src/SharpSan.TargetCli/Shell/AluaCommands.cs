using System.Globalization;
using SharpSan.Config;
using SharpSan.TargetCli.Tree;

namespace SharpSan.TargetCli.Shell;

/// <summary>
/// A storage object's ALUA target port groups, as targetcli-fb's UIALUATargetPortGroups and
/// UIALUATargetPortGroup (ui_backstore.py) over rtslib-fb's ALUATargetPortGroup: create NAME TAG,
/// delete NAME, and the "alua" configuration group of a group.
/// </summary>
internal static class AluaCommands
{
    /// <summary>rtslib-fb alua.py alua_rw_params, in its order.</summary>
    public static readonly string[] ReadWriteParams =
    [
        "alua_access_state", "alua_access_status", "alua_write_metadata", "alua_access_type", "preferred",
        "nonop_delay_msecs", "trans_delay_msecs", "implicit_trans_secs", "alua_support_offline",
        "alua_support_standby", "alua_support_transitioning", "alua_support_active_nonoptimized",
        "alua_support_unavailable", "alua_support_active_optimized",
    ];

    /// <summary>alua_ro_params.</summary>
    public static readonly string[] ReadOnlyParams = ["tg_pt_gp_id", "members", "alua_support_lba_dependent"];

    public static async Task CreateAsync(CommandContext ctx)
    {
        var so = ctx.Node.StorageObject!;
        var name = ctx.Arg("name")!;
        if (!int.TryParse(ctx.Arg("tag"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var tag) || tag < 1 || tag > 65535)
            throw new CliException("The TPG Tag must be between 1 and 65535");
        if (so.Plugin == "pscsi")
            throw new CliException("Backend does not support ALUA setup");
        if (TreeBuilder.AluaGroupsOf(so).Any(g => g.Name == name))
            throw new CliException($"ALUA TPG {name} already exists");
        if (TreeBuilder.AluaGroupsOf(so).FirstOrDefault(g => g.TgPtGpId == tag) is { } clash)
            throw new CliException($"Cannot set id to {tag}: tg_pt_gp_id is already used by {clash.Name}");
        so.AluaGroups.Add(new AluaGroupConfig { Name = name, TgPtGpId = tag });
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Created ALUA TPG {name}.");
        ctx.NewNode($"{ctx.Node.Path}/{name}");
    }

    /// <summary>Deletes a group; LUNs that were in it go back to default_tg_pt_gp (as LIO moves them).</summary>
    public static async Task DeleteAsync(CommandContext ctx)
    {
        var so = ctx.Node.StorageObject!;
        var name = ctx.Arg("name")!;
        if (name == AluaGroupConfig.DefaultName)
            throw new CliException("Can not delete default_tg_pt_gp");
        var group = so.AluaGroups.FirstOrDefault(g => g.Name == name) ?? throw new CliException("Invalid ALUA group name");
        so.AluaGroups.Remove(group);
        foreach (var lun in Members(ctx.Config, so, name))
            lun.Lun.AluaTgPtGp = AluaGroupConfig.DefaultName;
        // targetcli-fb's delete prints nothing.
        await ctx.CommitAsync().ConfigureAwait(false);
    }

    public static List<GroupParam> Params() =>
        ReadWriteParams.Select(p => new GroupParam(p, "string", Description(p)))
            .Concat(ReadOnlyParams.Select(p => new GroupParam(p, "string", Description(p), Writable: false))).ToList();

    /// <summary>The value as rtslib-fb's getter returns it (integers; members as a list of dicts).</summary>
    public static string Get(CommandContext ctx, TreeNode node, string name)
    {
        var so = node.StorageObject!;
        var g = Group(node, create: false);
        string Int(int v) => v.ToString(CultureInfo.InvariantCulture);
        string Bit(bool b) => b ? "1" : "0";
        return name switch
        {
            "alua_access_state" => Int(g.AluaAccessState),
            "alua_access_status" => Int(g.AluaAccessStatus),
            "alua_write_metadata" => Bit(g.AluaWriteMetadata),
            "alua_access_type" => Int(g.AluaAccessType),
            "preferred" => Bit(g.Preferred),
            "nonop_delay_msecs" => Int(g.NonopDelayMsecs),
            "trans_delay_msecs" => Int(g.TransDelayMsecs),
            "implicit_trans_secs" => Int(g.ImplicitTransSecs),
            "alua_support_offline" => Bit(g.SupportOffline),
            "alua_support_standby" => Bit(g.SupportStandby),
            "alua_support_transitioning" => Bit(g.SupportTransitioning),
            "alua_support_active_nonoptimized" => Bit(g.SupportActiveNonoptimized),
            "alua_support_unavailable" => Bit(g.SupportUnavailable),
            "alua_support_active_optimized" => Bit(g.SupportActiveOptimized),
            "alua_support_lba_dependent" => "0",
            "tg_pt_gp_id" => Int(g.TgPtGpId),
            "members" => "[" + string.Join(", ", Members(ctx.Config, so, g.Name).Select(m =>
                $"{{'driver': 'iscsi', 'target': '{m.Target}', 'tpgt': {m.Tag}, 'lun': {m.Lun.Index}}}")) + "]",
            _ => "n/a",
        };
    }

    /// <summary>Sets one value (an integer, as rtslib writes them to configfs); the daemon's validation
    /// refuses what LIO would (unsupported states, ranges) when the change is committed.</summary>
    public static void Set(TreeNode node, string name, string value)
    {
        if (value.Length == 0)
            return;
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0)
            throw new CliException($"Not setting {name}! Syntax error, '{value}' is not a NUMBER.");
        bool Bit() => n is 0 or 1 ? n == 1 : throw new CliException($"Cannot set {name}: Invalid argument (0 or 1)");
        var g = Group(node, create: true);
        switch (name)
        {
            case "alua_access_state":
                if (!AluaGroupConfig.IsKnownState(n))
                    throw new CliException($"Cannot change ALUA state: {n} is not a supported ALUA state (0, 1, 2, 3, 14, 15)");
                g.AluaAccessState = n;
                break;
            case "alua_access_status": g.AluaAccessStatus = n; break;
            case "alua_write_metadata": g.AluaWriteMetadata = Bit(); break;
            case "alua_access_type": g.AluaAccessType = n; break;
            case "preferred": g.Preferred = Bit(); break;
            case "nonop_delay_msecs": g.NonopDelayMsecs = n; break;
            case "trans_delay_msecs": g.TransDelayMsecs = n; break;
            case "implicit_trans_secs": g.ImplicitTransSecs = n; break;
            case "alua_support_offline": g.SupportOffline = Bit(); break;
            case "alua_support_standby": g.SupportStandby = Bit(); break;
            case "alua_support_transitioning": g.SupportTransitioning = Bit(); break;
            case "alua_support_active_nonoptimized": g.SupportActiveNonoptimized = Bit(); break;
            case "alua_support_unavailable": g.SupportUnavailable = Bit(); break;
            case "alua_support_active_optimized": g.SupportActiveOptimized = Bit(); break;
        }
    }

    /// <summary>The group a node shows; default_tg_pt_gp is added to the list once it is changed.</summary>
    private static AluaGroupConfig Group(TreeNode node, bool create)
    {
        var so = node.StorageObject!;
        if (so.AluaGroups.FirstOrDefault(g => g.Name == node.AluaGroupName) is { } listed)
            return listed;
        var group = new AluaGroupConfig();
        if (create)
            so.AluaGroups.Insert(0, group);
        return group;
    }

    private static IEnumerable<(string Target, ushort Tag, LunConfig Lun)> Members(SanConfig config, StorageObjectConfig so, string group) =>
        config.Targets.SelectMany(t => t.Tpgs.SelectMany(p => p.Luns
            .Where(l => l.StorageObject == so.Path && l.AluaTgPtGp == group)
            .Select(l => (t.Wwn, p.Tag, l))));

    private static string Description(string name) => name switch
    {
        "alua_access_state" => "ALUA state: 0 Active/optimized, 1 Active/non-optimized, 2 Standby, 3 Unavailable, 14 Offline, 15 Transitioning.",
        "alua_access_status" => "ALUA status: 0 None, 1 Altered by Explicit STPG, 2 Altered by Implicit ALUA.",
        "alua_access_type" => "ALUA access type: 0 None, 1 Implicit, 2 Explicit, 3 Implicit and Explicit.",
        "preferred" => "Preferred bit: 1 preferred, 0 not.",
        "alua_write_metadata" => "Write metadata flag: enable (1) or disable (0).",
        "nonop_delay_msecs" => "msecs to delay IO when non-optimized.",
        "trans_delay_msecs" => "msecs to delay state transition.",
        "implicit_trans_secs" => "Implicit transition time limit.",
        "tg_pt_gp_id" => "ALUA Target Port Group ID.",
        "members" => "LUNs in the Target Port Group.",
        _ => $"Enable (1) or disable (0) {name["alua_support_".Length..].Replace('_', '/')} support.",
    };
}
