using static SharpSan.Config.JsonPathBuilder;

namespace SharpSan.Config;

// ALUA target port groups (storage_objects[i].alua_tpgs) and the LUNs' membership
// (luns[k].alua_tg_pt_gp_name): what LIO's configfs would refuse (target_core_configfs.c,
// target_core_alua.c), plus the LBA dependent state, which this target does not support.
public static partial class ConfigValidator
{
    private static void ValidateAlua(Checker v, SanConfig config)
    {
        for (var i = 0; i < config.StorageObjects.Count; i++)
        {
            var so = config.StorageObjects[i];
            var path = Item(Root, "storage_objects", i);
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            var ids = new Dictionary<int, string>();
            for (var j = 0; j < so.AluaGroups.Count; j++)
                ValidateAluaGroup(v, so.AluaGroups[j], Item(path, "alua_tpgs", j), names, ids);
        }

        var byPath = config.StorageObjects.ToDictionary(s => s.Path, StringComparer.Ordinal);
        for (var t = 0; t < config.Targets.Count; t++)
        {
            var target = config.Targets[t];
            for (var p = 0; p < target.Tpgs.Count; p++)
            {
                var tpg = target.Tpgs[p];
                for (var l = 0; l < tpg.Luns.Count; l++)
                {
                    var lun = tpg.Luns[l];
                    if (!byPath.TryGetValue(lun.StorageObject, out var so))
                        continue;
                    var lunPath = Item(Item(Item(Root, "targets", t), "tpgs", p), "luns", l);
                    v.Require(so.FindAluaGroup(lun.AluaTgPtGp) is not null, Prop(lunPath, "alua_tg_pt_gp_name"),
                        $"storage object {so.Path} has no ALUA target port group \"{lun.AluaTgPtGp}\"");
                }
            }
        }
    }

    private static void ValidateAluaGroup(Checker v, AluaGroupConfig g, string path, Dictionary<string, string> names, Dictionary<int, string> ids)
    {
        // A configfs directory name, as storage object names are.
        v.Require(g.Name.Length > 0, Prop(path, "name"), "empty ALUA group name");
        v.Require(!g.Name.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c)), Prop(path, "name"),
            $"ALUA group name \"{g.Name}\" contains '/', whitespace or control characters");
        v.Require(names.TryAdd(g.Name, path), Prop(path, "name"),
            $"duplicate ALUA group \"{g.Name}\" (also at {(names.TryGetValue(g.Name, out var firstName) ? firstName : "")})");
        if (g.Name == LioFormat.DefaultAluaGroup)
            v.Require(g.TgPtGpId == 0, Prop(path, "tg_pt_gp_id"), "default_tg_pt_gp has tg_pt_gp_id 0");
        else
            v.Require(g.TgPtGpId is >= 1 and <= 65535, Prop(path, "tg_pt_gp_id"), $"tg_pt_gp_id {g.TgPtGpId} is out of range (1..65535)");
        v.Require(ids.TryAdd(g.TgPtGpId, path), Prop(path, "tg_pt_gp_id"),
            $"tg_pt_gp_id {g.TgPtGpId} is already used by {(ids.TryGetValue(g.TgPtGpId, out var firstId) ? firstId : "")}");

        v.Require(g.AluaAccessState != 4, Prop(path, "alua_access_state"), "alua_access_state 4 (LBA dependent) is not supported by SharpSAN");
        v.Require(AluaGroupConfig.IsKnownState(g.AluaAccessState), Prop(path, "alua_access_state"),
            $"alua_access_state {g.AluaAccessState} is not an ALUA state (0, 1, 2, 3, 14, 15)");
        v.Require(g.Supports(g.AluaAccessState), Prop(path, "alua_access_state"),
            $"alua_access_state {g.AluaAccessState} ({AluaGroupConfig.StateName(g.AluaAccessState)}) is not supported by the group (its alua_support_* switch is 0)");
        v.Require(g.AluaAccessStatus is >= 0 and <= 2, Prop(path, "alua_access_status"), $"alua_access_status {g.AluaAccessStatus} is out of range (0..2)");
        v.Require(g.AluaAccessType is >= 0 and <= 3, Prop(path, "alua_access_type"), $"alua_access_type {g.AluaAccessType} is out of range (0..3)");
        v.Require(g.NonopDelayMsecs <= AluaGroupConfig.MaxNonopDelayMsecs, Prop(path, "nonop_delay_msecs"),
            $"nonop_delay_msecs {g.NonopDelayMsecs} is out of range (0..{AluaGroupConfig.MaxNonopDelayMsecs})");
        v.Require(g.TransDelayMsecs <= AluaGroupConfig.MaxTransDelayMsecs, Prop(path, "trans_delay_msecs"),
            $"trans_delay_msecs {g.TransDelayMsecs} is out of range (0..{AluaGroupConfig.MaxTransDelayMsecs})");
        v.Require(g.ImplicitTransSecs <= AluaGroupConfig.MaxImplicitTransSecs, Prop(path, "implicit_trans_secs"),
            $"implicit_trans_secs {g.ImplicitTransSecs} is out of range (0..{AluaGroupConfig.MaxImplicitTransSecs})");
    }
}
