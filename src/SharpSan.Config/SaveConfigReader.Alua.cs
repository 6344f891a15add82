using System.Text.Json.Nodes;
using static SharpSan.Config.JsonPathBuilder;

namespace SharpSan.Config;

// storage_objects[i].alua_tpgs: rtslib-fb's ALUATargetPortGroup.dump() (alua.py), every value an integer.
public static partial class SaveConfigReader
{
    private static void ReadAluaGroups(JsonFieldReader r, JsonObject obj, string path, StorageObjectConfig so)
    {
        var groups = r.OptionalArray(obj, "alua_tpgs", path);
        for (var i = 0; i < groups.Count; i++)
        {
            var groupPath = Item(path, "alua_tpgs", i);
            var g = r.Object(groups[i], groupPath);
            var group = new AluaGroupConfig
            {
                Name = r.RequiredString(g, "name", groupPath),
                TgPtGpId = (int)r.UInt(g, "tg_pt_gp_id", groupPath, ushort.MaxValue, 0, required: true),
                AluaAccessState = (int)r.UInt(g, "alua_access_state", groupPath, 255, 0),
                AluaAccessStatus = (int)r.UInt(g, "alua_access_status", groupPath, 255, 0),
                AluaAccessType = (int)r.UInt(g, "alua_access_type", groupPath, 255, 3),
                Preferred = Flag(r, g, "preferred", groupPath, false),
                AluaWriteMetadata = Flag(r, g, "alua_write_metadata", groupPath, false),
                NonopDelayMsecs = (int)r.UInt(g, "nonop_delay_msecs", groupPath, int.MaxValue, 100),
                TransDelayMsecs = (int)r.UInt(g, "trans_delay_msecs", groupPath, int.MaxValue, 0),
                ImplicitTransSecs = (int)r.UInt(g, "implicit_trans_secs", groupPath, int.MaxValue, 0),
                SupportActiveOptimized = Flag(r, g, "alua_support_active_optimized", groupPath, true),
                SupportActiveNonoptimized = Flag(r, g, "alua_support_active_nonoptimized", groupPath, true),
                SupportStandby = Flag(r, g, "alua_support_standby", groupPath, true),
                SupportUnavailable = Flag(r, g, "alua_support_unavailable", groupPath, true),
                SupportOffline = Flag(r, g, "alua_support_offline", groupPath, true),
                SupportTransitioning = Flag(r, g, "alua_support_transitioning", groupPath, true),
            };
            KeepExtras(g, group.ExtraFields, [.. LioFormat.AluaGroupKeys]);
            so.AluaGroups.Add(group);
        }
    }

    /// <summary>An integer 0/1 as rtslib dumps these switches (a JSON boolean is taken too).</summary>
    private static bool Flag(JsonFieldReader r, JsonObject obj, string key, string path, bool defaultValue)
    {
        if (!obj.TryGetPropertyValue(key, out var node) || node is null)
            return defaultValue;
        if (node.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)
            return node.GetValue<bool>();
        var value = r.UInt(node, Prop(path, key), ulong.MaxValue);
        if (value > 1)
            throw r.Error(Prop(path, key), $"expected 0 or 1, found {JsonFieldReader.Invariant(value)}");
        return value == 1;
    }
}
