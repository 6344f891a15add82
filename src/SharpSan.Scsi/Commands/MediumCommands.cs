namespace SharpSan.Scsi;

/// <summary>
/// START STOP UNIT and PREVENT ALLOW MEDIUM REMOVAL, as SBC-3 and MMC-6 define them
/// for every device type: on a removable unit LOEJ opens and closes the tray and PREVENT locks it; on
/// a fixed disk both are accepted and change nothing.
/// </summary>
internal static class MediumCommands
{
    /// <summary>IMMED (byte 1 bit 0) is honoured by finishing first: the tray moves at once.</summary>
    public static bool ParseStartStopUnit(ScsiTask task) => true;

    public static ValueTask ExecuteStartStopUnit(ScsiTask task, CancellationToken cancellationToken)
    {
        byte flags = task.CdbBuffer[4];
        // A POWER CONDITION other than 0h (START_VALID) changes power state only: LOEJ is ignored
        // (SBC-3, START STOP UNIT), and there is no power state to change.
        if ((flags & 0xF0) != 0 || (flags & 0x02) == 0)
        {
            return default;
        }

        SenseReason refused = task.Entry.Unit.LoadOrEject(task.Nexus, load: (flags & 0x01) != 0);
        if (refused != SenseReason.None)
        {
            task.Fail(refused);
        }

        return default;
    }

    /// <summary>SBC-3 PREVENT ALLOW MEDIUM REMOVAL: PREVENT 00b/01b; 10b/11b are for medium changers.</summary>
    public static bool ParsePreventAllowBlock(ScsiTask task)
    {
        if ((task.CdbBuffer[4] & 0x02) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 4, 1);
            return false;
        }

        return true;
    }

    /// <summary>MMC-6 PREVENT ALLOW MEDIUM REMOVAL: the PERSISTENT bit (bit 1) is accepted; only PREVENT (bit 0) locks the tray.</summary>
    public static bool ParsePreventAllowMmc(ScsiTask task) => true;

    public static ValueTask ExecutePreventAllow(ScsiTask task, CancellationToken cancellationToken)
    {
        task.Entry.Unit.SetPreventRemoval(task.Nexus, (task.CdbBuffer[4] & 0x01) != 0);
        return default;
    }
}
