namespace SharpSan.Scsi;

/// <summary>
/// The Data-Out of an atomic write — COMPARE AND WRITE (SBC-3 5.2), ORWRITE (5.13), WRITE ATOMIC
/// (SBC-4 5.48) — is used whole or not at all: a short one has no defined result (the compare, the OR
/// and the all-or-nothing write all need every block), so nothing is written and the command fails.
/// </summary>
internal static class AtomicDataOut
{
    /// <summary>True when the whole Data-Out the CDB announced (<see cref="ScsiTask.TransferLength"/>
    /// bytes) arrived; otherwise fails the task with INVALID FIELD IN COMMAND INFORMATION UNIT and
    /// returns false.</summary>
    public static bool IsWhole(ScsiTask task)
    {
        if (task.Buffer is null || task.DataLength < task.TransferLength)
        {
            task.Fail(SenseReason.InvalidFieldInCommandInformationUnit);
            return false;
        }

        return true;
    }
}
