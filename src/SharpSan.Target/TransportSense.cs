using SharpSan.Scsi;

namespace SharpSan.Target;

/// <summary>
/// The only CHECK CONDITIONs the iSCSI transport raises itself; everything else comes from the SCSI
/// engine's <c>SenseReason</c> table. They use the engine's public fabric entry point
/// (<see cref="ScsiTask.SetCheckCondition"/>, which also honours D_SENSE), because
/// <c>SenseReason</c> is internal to SharpSan.Scsi and has no value for the last two yet.
/// </summary>
internal static class TransportSense
{
    /// <summary>ILLEGAL REQUEST, INVALID FIELD IN CDB (0x24/0x00), <c>SenseReason.InvalidFieldInCdb</c>:
    /// a command we cannot carry (extended CDB, bidirectional, or over the maximum transfer length).</summary>
    public static void InvalidFieldInCdb(ScsiTask task) => task.SetCheckCondition(SenseKey.IllegalRequest, 0x24, 0x00);

    /// <summary>ABORTED COMMAND, DATA PHASE ERROR (0x4B/0x00, SAM-5): the command's Data-Out arrived out
    /// of sequence and ERL 0 cannot recover it.</summary>
    public static void DataPhaseError(ScsiTask task) => task.SetCheckCondition(SenseKey.AbortedCommand, 0x4B, 0x00);

    /// <summary>HARDWARE ERROR, INTERNAL TARGET FAILURE (0x44/0x00): the engine threw, which is a bug.</summary>
    public static void InternalTargetFailure(ScsiTask task) => task.SetCheckCondition(SenseKey.HardwareError, 0x44, 0x00);
}
