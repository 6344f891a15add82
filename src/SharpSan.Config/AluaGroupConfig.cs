namespace SharpSan.Config;

/// <summary>
/// One ALUA target port group of a storage object: storage_objects[i].alua_tpgs[j], with the keys
/// rtslib-fb's ALUATargetPortGroup.dump() writes (all integers) and LIO's defaults
/// (target_core_alua.c core_alua_allocate_tg_pt_gp). Every LUN exporting the object belongs to one
/// group, named by its "alua_tg_pt_gp_name"; "default_tg_pt_gp" (id 0) always exists, listed or not.
/// </summary>
public sealed class AluaGroupConfig
{
    /// <summary>LIO's default_tg_pt_gp, which every storage object has.</summary>
    public const string DefaultName = LioFormat.DefaultAluaGroup;

    public string Name { get; set; } = DefaultName;
    /// <summary>tg_pt_gp_id: 0 for default_tg_pt_gp, 1..65535 for the others (rtslib's range).</summary>
    public int TgPtGpId { get; set; }
    /// <summary>0 Active/optimized, 1 Active/non-optimized, 2 Standby, 3 Unavailable, 14 Offline, 15 Transitioning.</summary>
    public int AluaAccessState { get; set; }
    /// <summary>0 None, 1 Altered by Explicit STPG, 2 Altered by Implicit ALUA.</summary>
    public int AluaAccessStatus { get; set; }
    /// <summary>0 None, 1 Implicit, 2 Explicit, 3 Implicit and Explicit (LIO's default).</summary>
    public int AluaAccessType { get; set; } = 3;
    public bool Preferred { get; set; }
    public bool AluaWriteMetadata { get; set; }
    public int NonopDelayMsecs { get; set; } = 100;
    public int TransDelayMsecs { get; set; }
    public int ImplicitTransSecs { get; set; }
    public bool SupportActiveOptimized { get; set; } = true;
    public bool SupportActiveNonoptimized { get; set; } = true;
    public bool SupportStandby { get; set; } = true;
    public bool SupportUnavailable { get; set; } = true;
    public bool SupportOffline { get; set; } = true;
    public bool SupportTransitioning { get; set; } = true;

    /// <summary>Keys this model does not know, kept verbatim so a load/save round trip loses nothing.</summary>
    public Dictionary<string, System.Text.Json.Nodes.JsonNode?> ExtraFields { get; } = new(StringComparer.Ordinal);

    /// <summary>LIO's maxima (target_core_alua.h): ALUA_MAX_NONOP_DELAY_MSECS, ALUA_MAX_TRANS_DELAY_MSECS,
    /// ALUA_MAX_IMPLICIT_TRANS_SECS.</summary>
    public const int MaxNonopDelayMsecs = 10000;
    public const int MaxTransDelayMsecs = 30000;
    public const int MaxImplicitTransSecs = 255;

    /// <summary>True for a state number LIO accepts for alua_access_state (4, LBA dependent, is not supported here).</summary>
    public static bool IsKnownState(int state) => state is 0 or 1 or 2 or 3 or 14 or 15;

    /// <summary>Whether this group supports <paramref name="state"/> (its alua_support_* switch).</summary>
    public bool Supports(int state) => state switch
    {
        0 => SupportActiveOptimized,
        1 => SupportActiveNonoptimized,
        2 => SupportStandby,
        3 => SupportUnavailable,
        14 => SupportOffline,
        15 => SupportTransitioning,
        _ => false,
    };

    /// <summary>LIO's names of the states, as targetcli-fb shows them ("ALUA state: Active/optimized").</summary>
    public static string StateName(int state) => state switch
    {
        0 => "Active/optimized",
        1 => "Active/non-optimized",
        2 => "Standby",
        3 => "Unavailable",
        4 => "LBA Dependent",
        14 => "Offline",
        15 => "Transitioning",
        _ => "Invalid",
    };

    /// <summary>A deep copy (the extras included).</summary>
    public AluaGroupConfig Clone()
    {
        var copy = new AluaGroupConfig();
        copy.CopyValuesFrom(this);
        foreach (var (k, v) in ExtraFields) copy.ExtraFields[k] = v?.DeepClone();
        return copy;
    }

    private void CopyValuesFrom(AluaGroupConfig o)
    {
        Name = o.Name;
        TgPtGpId = o.TgPtGpId;
        AluaAccessState = o.AluaAccessState;
        AluaAccessStatus = o.AluaAccessStatus;
        AluaAccessType = o.AluaAccessType;
        Preferred = o.Preferred;
        AluaWriteMetadata = o.AluaWriteMetadata;
        NonopDelayMsecs = o.NonopDelayMsecs;
        TransDelayMsecs = o.TransDelayMsecs;
        ImplicitTransSecs = o.ImplicitTransSecs;
        SupportActiveOptimized = o.SupportActiveOptimized;
        SupportActiveNonoptimized = o.SupportActiveNonoptimized;
        SupportStandby = o.SupportStandby;
        SupportUnavailable = o.SupportUnavailable;
        SupportOffline = o.SupportOffline;
        SupportTransitioning = o.SupportTransitioning;
    }
}
