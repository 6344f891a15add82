namespace SharpSan.Scsi;

/// <summary>
/// Which commands a target port serves in each asymmetric access state (SPC-4 5.15.2.4), as the command
/// table's flags declare them: Standby, Unavailable and Transitioning allow only the commands their
/// sections list, and answer others NOT READY with the state's additional sense code (as LIO's
/// core_alua_state_check). Offline serves INQUIRY, REPORT LUNS and REQUEST SENSE only, so an initiator
/// can still tell what is there and why it cannot be used.
/// </summary>
internal static class AluaAccessCheck
{
    /// <summary>The reason to refuse a command with <paramref name="flags"/> through a port of
    /// <paramref name="state"/>, or <see cref="SenseReason.None"/>.</summary>
    public static SenseReason Refusal(AsymmetricAccessState state, CommandFlags flags) => state switch
    {
        AsymmetricAccessState.Standby when (flags & CommandFlags.AllowedInStandby) == 0 => SenseReason.NotReadyTargetPortInStandby,
        AsymmetricAccessState.Unavailable when (flags & CommandFlags.AllowedInUnavailable) == 0 => SenseReason.NotReadyTargetPortUnavailable,
        AsymmetricAccessState.Transitioning when (flags & CommandFlags.AllowedInTransitioning) == 0 => SenseReason.NotReadyAsymmetricAccessTransition,
        AsymmetricAccessState.Offline when (flags & CommandFlags.AllowedInOffline) == 0 => SenseReason.NotReadyOffline,
        _ => SenseReason.None,
    };

    /// <summary>The refusal for a command arriving through <paramref name="nexus"/>' target port.</summary>
    public static SenseReason Refusal(AluaGroups groups, ItNexus nexus, CommandFlags flags) =>
        Refusal(groups.GroupOf(nexus.RelativeTargetPortId).State, flags);
}
