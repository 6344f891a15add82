namespace SharpSan.Scsi;

/// <summary>
/// One target port group of a logical unit (SPC-4 5.15.2.3) as the administrator defines it, after
/// LIO's configfs group (target_core_alua.c, rtslib-fb alua.py): name, TARGET PORT GROUP id, state and
/// status, access type, PREF, the supported states and the delays. <see cref="State"/> and
/// <see cref="Status"/> are where the group starts (or goes, when applied to a live unit); SET TARGET
/// PORT GROUPS moves them afterwards.
/// </summary>
public sealed record TargetPortGroupSettings
{
    /// <summary>The group every port belongs to unless put in another (LIO's "default_tg_pt_gp", id 0).</summary>
    public const string DefaultName = "default_tg_pt_gp";

    /// <summary>LIO's default_tg_pt_gp: active/optimized, implicit and explicit, every state but LBA
    /// dependent supported, 100 ms non-optimized delay.</summary>
    public static TargetPortGroupSettings Default { get; } = new();

    public string Name { get; init; } = DefaultName;

    /// <summary>TARGET PORT GROUP (SPC-4 6.35): LIO's tg_pt_gp_id, 0 for the default group, 1..65535 otherwise.</summary>
    public ushort Id { get; init; }

    public AsymmetricAccessState State { get; init; } = AsymmetricAccessState.ActiveOptimized;
    public AluaStatus Status { get; init; } = AluaStatus.None;
    public AluaAccessType AccessType { get; init; } = AluaAccessType.ImplicitAndExplicit;

    /// <summary>PREF (SPC-4 6.35): this group is a preferred path.</summary>
    public bool Preferred { get; init; }

    public SupportedAccessStates Supported { get; init; } = SupportedAccessStates.LioDefault;

    /// <summary>LIO's nonop_delay_msecs: every command through a port of this group waits this long
    /// before it runs while the group is active/non-optimized (as LIO sleeps before each one); 0: none.</summary>
    public int NonOptimizedDelayMs { get; init; } = 100;

    /// <summary>LIO's trans_delay_msecs: how long a change of state stays in Transitioning
    /// (SPC-4 5.15.2.5) before the new state is reached; 0 goes there at once.</summary>
    public int TransitionDelayMs { get; init; }

    /// <summary>LIO's implicit_trans_secs: IMPLICIT TRANSITION TIME of the extended REPORT TARGET PORT
    /// GROUPS header (SPC-4 6.35), capped at 255.</summary>
    public int ImplicitTransitionSeconds { get; init; }

    /// <summary>LIO's alua_write_metadata: kept and saved (the config tree is the saved state here).</summary>
    public bool WriteMetadata { get; init; }

    /// <summary>True when this group supports <paramref name="state"/> (SPC-4 6.35 byte 1).</summary>
    public bool SupportsState(AsymmetricAccessState state) => (Supported & ToSupported(state)) != 0;

    /// <summary>The support bit of <paramref name="state"/>; None for a value that is no state.</summary>
    public static SupportedAccessStates ToSupported(AsymmetricAccessState state) => state switch
    {
        AsymmetricAccessState.ActiveOptimized => SupportedAccessStates.ActiveOptimized,
        AsymmetricAccessState.ActiveNonOptimized => SupportedAccessStates.ActiveNonOptimized,
        AsymmetricAccessState.Standby => SupportedAccessStates.Standby,
        AsymmetricAccessState.Unavailable => SupportedAccessStates.Unavailable,
        AsymmetricAccessState.LbaDependent => SupportedAccessStates.LbaDependent,
        AsymmetricAccessState.Offline => SupportedAccessStates.Offline,
        AsymmetricAccessState.Transitioning => SupportedAccessStates.Transitioning,
        _ => SupportedAccessStates.None,
    };
}
