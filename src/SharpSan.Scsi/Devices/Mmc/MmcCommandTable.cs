namespace SharpSan.Scsi.Devices.Mmc;

/// <summary>
/// The command set of a read-only CD/DVD drive (MMC-6 clause 6, peripheral device type 05h): what Linux's sr
/// driver, QEMU's scsi-cd over iSCSI and Windows' cdrom class driver ask of a drive. A read-only drive
/// implements no write command: WRITE is ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE, as any other
/// command absent here (SPC-4 4.5.6), which is what a DVD-ROM drive answers. (tgt answers ILLEGAL
/// REQUEST, CANNOT WRITE MEDIUM - INCOMPATIBLE FORMAT and QEMU DATA PROTECT, WRITE PROTECTED; hosts do
/// not send writes to a drive whose GET CONFIGURATION lists no write feature.)
/// </summary>
internal static class MmcCommandTable
{
    private const CommandFlags Medium = CommandFlags.MediumAccess;

    /// <summary>MMC-6 (unit attention conditions): GET CONFIGURATION and GET EVENT STATUS NOTIFICATION neither report nor
    /// clear a pending unit attention, so a host can poll the media state at any time.</summary>
    private const CommandFlags Status = CommandFlags.AllowedWithUnitAttention;

    public static CommandSet Commands { get; } = new(
    [
        // SPC-4 commands every logical unit answers.
        new(ScsiOpcode.TestUnitReady, 6, Medium, SpcCommands.ParseNoData, SpcCommands.Good),
        new(ScsiOpcode.RequestSense, 6, CommandTable.Inventory, SpcCommands.ParseRequestSense, SpcCommands.ExecuteRequestSense),
        new(ScsiOpcode.Inquiry, 6, CommandTable.Inventory, InquiryCommand.Parse, InquiryCommand.Execute),
        new(ScsiOpcode.ReportLuns, 12, CommandTable.Inventory, ReportLunsCommand.Parse, ReportLunsCommand.Execute),
        new(ScsiOpcode.ModeSense6, 6, CommandFlags.None, MmcModeSenseCommand.Parse6, MmcModeSenseCommand.Execute),
        new(ScsiOpcode.ModeSense10, 10, CommandFlags.None, MmcModeSenseCommand.Parse10, MmcModeSenseCommand.Execute),

        // The medium: tray, lock, capacity and reads of 2048-byte blocks.
        new(ScsiOpcode.StartStopUnit, 6, CommandFlags.None, MediumCommands.ParseStartStopUnit, MediumCommands.ExecuteStartStopUnit),
        new(ScsiOpcode.PreventAllowMediumRemoval, 6, CommandFlags.AllowedWithReservation, MediumCommands.ParsePreventAllowMmc, MediumCommands.ExecutePreventAllow),
        new(ScsiOpcode.ReadCapacity10, 10, Medium, ReadCapacityCommand.Parse10, ReadCapacityCommand.Execute10),
        CommandDescriptor.ForServiceAction(ScsiOpcode.ServiceActionIn16, ReadCapacityCommand.ServiceActionReadCapacity16, 16, Medium, ReadCapacityCommand.Parse16, ReadCapacityCommand.Execute16),
        new(ScsiOpcode.Read10, 10, Medium, static t => BlockCommands.Parse10(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
        new(ScsiOpcode.Read12, 12, Medium, static t => BlockCommands.Parse12(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
        new(ScsiOpcode.Read16, 16, Medium, static t => BlockCommands.Parse16(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
        new(ScsiOpcode.SynchronizeCache10, 10, Medium, static t => CacheCommands.ParseSynchronizeCache(t, 10), CacheCommands.ExecuteSynchronizeCache),

        // MMC-6: the disc's layout, the drive's features and its media events.
        new(ScsiOpcode.ReadTocPmaAtip, 10, Medium, ReadTocCommand.Parse, ReadTocCommand.Execute),
        new(ScsiOpcode.ReadDiscInformation, 10, Medium, DiscInformationCommand.Parse, DiscInformationCommand.Execute),
        new(ScsiOpcode.ReadTrackInformation, 10, Medium, TrackInformationCommand.Parse, TrackInformationCommand.Execute),
        new(ScsiOpcode.ReadDvdStructure, 12, CommandFlags.None, ReadDvdStructureCommand.Parse, ReadDvdStructureCommand.Execute),
        new(ScsiOpcode.GetConfiguration, 10, Status, GetConfigurationCommand.Parse, GetConfigurationCommand.Execute),
        new(ScsiOpcode.GetEventStatusNotification, 10, Status, EventStatusNotificationCommand.Parse, EventStatusNotificationCommand.Execute),
        new(ScsiOpcode.MechanismStatus, 12, CommandFlags.None, MechanismStatusCommand.Parse, MechanismStatusCommand.Execute),

        // SET CD SPEED: an image reads at one speed; the request is accepted and changes nothing (as tgt).
        new(ScsiOpcode.SetCdSpeed, 12, CommandFlags.None, SpcCommands.ParseNoData, SpcCommands.Good),
    ]);
}
