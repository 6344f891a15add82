using System.Text.Json.Nodes;

namespace SharpSan.Config;

// storage_objects[i].alua_tpgs as rtslib-fb's StorageObject.dump() writes it: always present, each group
// with every key of ALUATargetPortGroup.dump(), integers throughout.
public static partial class SaveConfigWriter
{
    private static JsonArray BuildAluaGroups(StorageObjectConfig so)
    {
        var list = new JsonArray();
        foreach (var g in so.AluaGroups)
        {
            var obj = new JsonObject();
            AddExtras(obj, g.ExtraFields);
            obj["name"] = g.Name;
            obj["tg_pt_gp_id"] = g.TgPtGpId;
            obj["alua_access_state"] = g.AluaAccessState;
            obj["alua_access_status"] = g.AluaAccessStatus;
            obj["alua_access_type"] = g.AluaAccessType;
            obj["alua_write_metadata"] = g.AluaWriteMetadata ? 1 : 0;
            obj["preferred"] = g.Preferred ? 1 : 0;
            obj["nonop_delay_msecs"] = g.NonopDelayMsecs;
            obj["trans_delay_msecs"] = g.TransDelayMsecs;
            obj["implicit_trans_secs"] = g.ImplicitTransSecs;
            obj["alua_support_active_optimized"] = g.SupportActiveOptimized ? 1 : 0;
            obj["alua_support_active_nonoptimized"] = g.SupportActiveNonoptimized ? 1 : 0;
            obj["alua_support_standby"] = g.SupportStandby ? 1 : 0;
            obj["alua_support_unavailable"] = g.SupportUnavailable ? 1 : 0;
            obj["alua_support_offline"] = g.SupportOffline ? 1 : 0;
            obj["alua_support_transitioning"] = g.SupportTransitioning ? 1 : 0;
            list.Add(obj);
        }
        return list;
    }
}
