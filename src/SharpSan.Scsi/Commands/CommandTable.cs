using SharpSan.Scsi.Devices.Controller;
using SharpSan.Scsi.Devices.Mmc;

namespace SharpSan.Scsi;

/// <summary>
/// The direct access block device (SBC-3) command set, and the choice of command set by device type.
/// Opcodes not listed are answered with ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE (SPC-4 4.5.6).
/// </summary>
internal static class CommandTable
{
    /// <summary>INQUIRY, REPORT LUNS, REQUEST SENSE: answered on any LUN, through unit attentions and
    /// reservations (SPC-4 4.6.2, SAM-5 5.14, SPC-2 5.5.1).</summary>
    public const CommandFlags Inventory = CommandFlags.AllowedOnUnmappedLun | CommandFlags.AllowedWithUnitAttention | CommandFlags.AllowedWithReservation
        | CommandFlags.PersistentReservationAllowed | AluaAnyState;

    /// <summary>Served through a target port in any asymmetric access state (SPC-4 5.15.2.4: INQUIRY,
    /// REPORT LUNS, REQUEST SENSE).</summary>
    public const CommandFlags AluaAnyState = CommandFlags.AllowedInStandby | CommandFlags.AllowedInUnavailable
        | CommandFlags.AllowedInTransitioning | CommandFlags.AllowedInOffline;

    /// <summary>Reads or checks the medium.</summary>
    public const CommandFlags Medium = CommandFlags.MediumAccess;

    /// <summary>Reads the medium: allowed through Write Exclusive persistent reservations (SBC-3 4.17).</summary>
    private const CommandFlags MediumRead = CommandFlags.MediumAccess | CommandFlags.PersistentReservationAllowedWriteExclusive;

    /// <summary>Allowed through every persistent reservation (SPC-4 table 5.6, SBC-3 4.17).</summary>
    private const CommandFlags PrAllowed = CommandFlags.PersistentReservationAllowed;

    private const CommandFlags BlockWrite = CommandFlags.MediumWrite | CommandFlags.BlockDataOut | CommandFlags.MediumAccess;

    /// <summary>Writes the medium as one atomic operation (COMPARE AND WRITE, ORWRITE, WRITE ATOMIC, SANITIZE).</summary>
    private const CommandFlags AtomicBlockWrite = CommandFlags.MediumWrite | CommandFlags.MediumAccess | CommandFlags.AtomicWrite;

    /// <summary>The SBC-3 command set of a disk; also what an unmapped LUN is answered with.</summary>
    public static CommandSet Block { get; } = BuildBlock();

    /// <summary>The command set of <paramref name="type"/>.</summary>
    /// <exception cref="NotSupportedException">No command set for that device type.</exception>
    public static CommandSet For(PeripheralDeviceType type) => type switch
    {
        PeripheralDeviceType.DirectAccessBlock => Block,
        PeripheralDeviceType.CdDvd => MmcCommandTable.Commands,
        PeripheralDeviceType.StorageArrayController => ControllerCommandTable.Commands,
        _ => throw new NotSupportedException($"No command set for peripheral device type {type}."),
    };

    private static CommandSet BuildBlock()
    {
        CommandDescriptor[] rows =
        [
            // SPC-4
            new(ScsiOpcode.TestUnitReady, 6, Medium | PrAllowed, SpcCommands.ParseNoData, SpcCommands.Good),
            new(ScsiOpcode.RequestSense, 6, Inventory, SpcCommands.ParseRequestSense, SpcCommands.ExecuteRequestSense),
            new(ScsiOpcode.Inquiry, 6, Inventory, InquiryCommand.Parse, InquiryCommand.Execute),
            new(ScsiOpcode.ReportLuns, 12, Inventory, ReportLunsCommand.Parse, ReportLunsCommand.Execute),
            new(ScsiOpcode.ModeSense6, 6, CommandFlags.PersistentReservationAllowedWriteExclusive | CommandFlags.AllowedInStandby, ModeSenseCommand.Parse6, ModeSenseCommand.Execute),
            new(ScsiOpcode.ModeSense10, 10, CommandFlags.PersistentReservationAllowedWriteExclusive | CommandFlags.AllowedInStandby, ModeSenseCommand.Parse10, ModeSenseCommand.Execute),
            new(ScsiOpcode.ModeSelect6, 6, CommandFlags.AllowedInStandby, ModeSelectCommand.Parse6, ModeSelectCommand.Execute),
            new(ScsiOpcode.ModeSelect10, 10, CommandFlags.AllowedInStandby, ModeSelectCommand.Parse10, ModeSelectCommand.Execute),
            new(ScsiOpcode.Reserve6, 6, PrAllowed, SpcCommands.ParseReserve6, SpcCommands.ExecuteReserve),
            new(ScsiOpcode.Reserve10, 10, PrAllowed, SpcCommands.ParseReserve10, SpcCommands.ExecuteReserve),
            new(ScsiOpcode.Release6, 6, CommandFlags.AllowedWithReservation | PrAllowed, SpcCommands.ParseReserve6, SpcCommands.ExecuteRelease),
            new(ScsiOpcode.Release10, 10, CommandFlags.AllowedWithReservation | PrAllowed, SpcCommands.ParseReserve10, SpcCommands.ExecuteRelease),
            new(ScsiOpcode.PreventAllowMediumRemoval, 6, CommandFlags.AllowedWithReservation | CommandFlags.PersistentReservationByCdb, MediumCommands.ParsePreventAllowBlock, MediumCommands.ExecutePreventAllow),

            // SBC-3
            new(ScsiOpcode.StartStopUnit, 6, CommandFlags.PersistentReservationByCdb, MediumCommands.ParseStartStopUnit, MediumCommands.ExecuteStartStopUnit),
            new(ScsiOpcode.ReadCapacity10, 10, Medium | PrAllowed | CommandFlags.AllowedInStandby, ReadCapacityCommand.Parse10, ReadCapacityCommand.Execute10),
            CommandDescriptor.ForServiceAction(ScsiOpcode.ServiceActionIn16, ReadCapacityCommand.ServiceActionReadCapacity16, 16, Medium | PrAllowed | CommandFlags.AllowedInStandby, ReadCapacityCommand.Parse16, ReadCapacityCommand.Execute16),
            new(ScsiOpcode.Read6, 6, MediumRead, static t => BlockCommands.Parse6(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
            new(ScsiOpcode.Read10, 10, MediumRead, static t => BlockCommands.Parse10(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
            new(ScsiOpcode.Read12, 12, MediumRead, static t => BlockCommands.Parse12(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
            new(ScsiOpcode.Read16, 16, MediumRead, static t => BlockCommands.Parse16(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
            new(ScsiOpcode.Write6, 6, BlockWrite, static t => BlockCommands.Parse6(t, true), BlockCommands.ExecuteWrite, BlockCommands.TryWriteInline),
            new(ScsiOpcode.Write10, 10, BlockWrite, static t => BlockCommands.Parse10(t, true), BlockCommands.ExecuteWrite, BlockCommands.TryWriteInline),
            new(ScsiOpcode.Write12, 12, BlockWrite, static t => BlockCommands.Parse12(t, true), BlockCommands.ExecuteWrite, BlockCommands.TryWriteInline),
            new(ScsiOpcode.Write16, 16, BlockWrite, static t => BlockCommands.Parse16(t, true), BlockCommands.ExecuteWrite, BlockCommands.TryWriteInline),
            new(ScsiOpcode.WriteAndVerify10, 10, BlockWrite, static t => VerifyCommands.ParseWriteAndVerify(t, 10), BlockCommands.ExecuteWrite),
            new(ScsiOpcode.WriteAndVerify12, 12, BlockWrite, static t => VerifyCommands.ParseWriteAndVerify(t, 12), BlockCommands.ExecuteWrite),
            new(ScsiOpcode.WriteAndVerify16, 16, BlockWrite, static t => VerifyCommands.ParseWriteAndVerify(t, 16), BlockCommands.ExecuteWrite),
            new(ScsiOpcode.Verify10, 10, CommandFlags.BlockDataOut | MediumRead, static t => VerifyCommands.ParseVerify(t, 10), VerifyCommands.ExecuteVerify),
            new(ScsiOpcode.Verify12, 12, CommandFlags.BlockDataOut | MediumRead, static t => VerifyCommands.ParseVerify(t, 12), VerifyCommands.ExecuteVerify),
            new(ScsiOpcode.Verify16, 16, CommandFlags.BlockDataOut | MediumRead, static t => VerifyCommands.ParseVerify(t, 16), VerifyCommands.ExecuteVerify),
            new(ScsiOpcode.SynchronizeCache10, 10, Medium, static t => CacheCommands.ParseSynchronizeCache(t, 10), CacheCommands.ExecuteSynchronizeCache),
            new(ScsiOpcode.SynchronizeCache16, 16, Medium, static t => CacheCommands.ParseSynchronizeCache(t, 16), CacheCommands.ExecuteSynchronizeCache),
            new(ScsiOpcode.PreFetch10, 10, MediumRead, static t => CacheCommands.ParsePreFetch(t, 10), SpcCommands.Good),
            new(ScsiOpcode.PreFetch16, 16, MediumRead, static t => CacheCommands.ParsePreFetch(t, 16), SpcCommands.Good),

            // ---- Provisioning (UNMAP, WRITE SAME, GET LBA STATUS): add its rows below this line ----
            new(ScsiOpcode.Unmap, 10, CommandFlags.MediumWrite | Medium, UnmapCommand.Parse, UnmapCommand.Execute) { AvailableWhen = static u => u.Provisioning.Unmap },
            new(ScsiOpcode.WriteSame10, 10, CommandFlags.MediumWrite | Medium, WriteSameCommand.Parse10, WriteSameCommand.Execute),
            new(ScsiOpcode.WriteSame16, 16, CommandFlags.MediumWrite | Medium, WriteSameCommand.Parse16, WriteSameCommand.Execute),
            // The variable length CDB's other service actions (READ/WRITE/VERIFY/WRITE AND VERIFY(32)...) need
            // protection information type 2, which no unit has: INVALID FIELD IN CDB at the SERVICE ACTION.
            CommandDescriptor.ForVariableLength(WriteSameCommand.ServiceActionWriteSame32, 32, CommandFlags.MediumWrite | Medium, WriteSameCommand.Parse32, WriteSameCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.ServiceActionIn16, GetLbaStatusCommand.ServiceActionGetLbaStatus, 16, Medium, GetLbaStatusCommand.Parse, GetLbaStatusCommand.Execute),

            // ---- Block (COMPARE AND WRITE, ORWRITE, WRITE ATOMIC, SANITIZE, FORMAT UNIT, READ DEFECT DATA): add its rows below this line ----
            new(ScsiOpcode.CompareAndWrite, 16, AtomicBlockWrite, CompareAndWriteCommand.Parse, CompareAndWriteCommand.Execute),
            new(ScsiOpcode.OrWrite16, 16, AtomicBlockWrite | CommandFlags.BlockDataOut, OrWriteCommand.Parse, OrWriteCommand.Execute),
            new(ScsiOpcode.WriteAtomic16, 16, AtomicBlockWrite | CommandFlags.BlockDataOut, WriteAtomicCommand.Parse, WriteAtomicCommand.Execute),
            new(ScsiOpcode.ReadDefectData10, 10, Medium | CommandFlags.PersistentReservationAllowedWriteExclusive, ReadDefectDataCommand.Parse10, ReadDefectDataCommand.Execute10),
            new(ScsiOpcode.ReadDefectData12, 12, Medium | CommandFlags.PersistentReservationAllowedWriteExclusive, ReadDefectDataCommand.Parse12, ReadDefectDataCommand.Execute12),
            new(ScsiOpcode.FormatUnit, 6, CommandFlags.MediumWrite | Medium, FormatUnitCommand.Parse, FormatUnitCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.Sanitize, SanitizeCommand.ServiceActionOverwrite, 10, AtomicBlockWrite, SanitizeCommand.Parse, SanitizeCommand.Execute),
            new(ScsiOpcode.Sanitize, 10, AtomicBlockWrite, SanitizeCommand.Parse, SanitizeCommand.Execute, serviceAction: SanitizeCommand.ServiceActionBlockErase)
                { AvailableWhen = SanitizeCommand.BlockEraseAvailable },
            CommandDescriptor.ForServiceAction(ScsiOpcode.Sanitize, SanitizeCommand.ServiceActionExitFailureMode, 10, AtomicBlockWrite, SanitizeCommand.Parse, SanitizeCommand.Execute),

            // ---- PersistentReservations: add its rows below this line ----
            CommandDescriptor.ForServiceAction(ScsiOpcode.PersistentReserveIn, PersistentReserveInCommand.ReadKeys, 10, PrAllowed | CommandFlags.AllowedInStandby, PersistentReserveInCommand.Parse, PersistentReserveInCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.PersistentReserveIn, PersistentReserveInCommand.ReadReservation, 10, PrAllowed | CommandFlags.AllowedInStandby, PersistentReserveInCommand.Parse, PersistentReserveInCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.PersistentReserveIn, PersistentReserveInCommand.ReportCapabilities, 10, PrAllowed | CommandFlags.AllowedInStandby, PersistentReserveInCommand.Parse, PersistentReserveInCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.PersistentReserveIn, PersistentReserveInCommand.ReadFullStatus, 10, PrAllowed | CommandFlags.AllowedInStandby, PersistentReserveInCommand.Parse, PersistentReserveInCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.PersistentReserveOut, (byte)PersistentReserveOutAction.Register, 10, PrAllowed | CommandFlags.AllowedInStandby, PersistentReserveOutCommand.Parse, PersistentReserveOutCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.PersistentReserveOut, (byte)PersistentReserveOutAction.Reserve, 10, PrAllowed | CommandFlags.AllowedInStandby, PersistentReserveOutCommand.Parse, PersistentReserveOutCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.PersistentReserveOut, (byte)PersistentReserveOutAction.Release, 10, PrAllowed | CommandFlags.AllowedInStandby, PersistentReserveOutCommand.Parse, PersistentReserveOutCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.PersistentReserveOut, (byte)PersistentReserveOutAction.Clear, 10, PrAllowed | CommandFlags.AllowedInStandby, PersistentReserveOutCommand.Parse, PersistentReserveOutCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.PersistentReserveOut, (byte)PersistentReserveOutAction.Preempt, 10, PrAllowed | CommandFlags.AllowedInStandby, PersistentReserveOutCommand.Parse, PersistentReserveOutCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.PersistentReserveOut, (byte)PersistentReserveOutAction.PreemptAndAbort, 10, PrAllowed | CommandFlags.AllowedInStandby, PersistentReserveOutCommand.Parse, PersistentReserveOutCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.PersistentReserveOut, (byte)PersistentReserveOutAction.RegisterAndIgnoreExistingKey, 10, PrAllowed | CommandFlags.AllowedInStandby, PersistentReserveOutCommand.Parse, PersistentReserveOutCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.PersistentReserveOut, (byte)PersistentReserveOutAction.RegisterAndMove, 10, PrAllowed | CommandFlags.AllowedInStandby, PersistentReserveOutCommand.Parse, PersistentReserveOutCommand.Execute),

            // ---- ExtendedCopy: add its rows below this line ----
            CommandDescriptor.ForServiceAction(ScsiOpcode.ExtendedCopy, ExtendedCopy.ExtendedCopyCommand.ServiceActionLid1, 16, CommandFlags.None, ExtendedCopy.ExtendedCopyCommand.Parse, ExtendedCopy.ExtendedCopyCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.ReceiveCopyResults, ExtendedCopy.ReceiveCopyResultsCommand.CopyStatus, 16, CommandFlags.None, ExtendedCopy.ReceiveCopyResultsCommand.Parse, ExtendedCopy.ReceiveCopyResultsCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.ReceiveCopyResults, ExtendedCopy.ReceiveCopyResultsCommand.ReceiveData, 16, CommandFlags.None, ExtendedCopy.ReceiveCopyResultsCommand.Parse, ExtendedCopy.ReceiveCopyResultsCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.ReceiveCopyResults, ExtendedCopy.ReceiveCopyResultsCommand.OperatingParameters, 16, CommandFlags.None, ExtendedCopy.ReceiveCopyResultsCommand.Parse, ExtendedCopy.ReceiveCopyResultsCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.ReceiveCopyResults, ExtendedCopy.ReceiveCopyResultsCommand.FailedSegmentDetails, 16, CommandFlags.None, ExtendedCopy.ReceiveCopyResultsCommand.Parse, ExtendedCopy.ReceiveCopyResultsCommand.Execute),

            // ---- Alua: add its rows below this line ----
            CommandDescriptor.ForServiceAction(ScsiOpcode.MaintenanceIn, ReportTargetPortGroupsCommand.ServiceAction, 12,
                CommandFlags.AllowedWithReservation | PrAllowed | CommandFlags.AllowedInStandby | CommandFlags.AllowedInUnavailable | CommandFlags.AllowedInTransitioning,
                ReportTargetPortGroupsCommand.Parse, ReportTargetPortGroupsCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.MaintenanceOut, SetTargetPortGroupsCommand.ServiceAction, 12,
                CommandFlags.AllowedInStandby | CommandFlags.AllowedInUnavailable,
                SetTargetPortGroupsCommand.Parse, SetTargetPortGroupsCommand.Execute),

            // ---- Reporting (REPORT SUPPORTED OPERATION CODES, timestamps, LOG SENSE): add its rows below this line ----
            // SPC-4 6.35, 6.37, 6.38, 6.45, 6.6, 6.5; SPC-2 table 10 / SPC-4 5.13: the reports run through a
            // RESERVE held by another nexus, SET TIMESTAMP and LOG SELECT conflict with it.
            CommandDescriptor.ForServiceAction(ScsiOpcode.MaintenanceIn, Reporting.ReportSupportedOperationCodesCommand.ServiceAction, 12, CommandFlags.AllowedWithReservation | CommandFlags.PersistentReservationAllowed, Reporting.ReportSupportedOperationCodesCommand.Parse, Reporting.ReportSupportedOperationCodesCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.MaintenanceIn, Reporting.ReportSupportedTaskManagementFunctionsCommand.ServiceAction, 12, CommandFlags.AllowedWithReservation | CommandFlags.PersistentReservationAllowed, Reporting.ReportSupportedTaskManagementFunctionsCommand.Parse, Reporting.ReportSupportedTaskManagementFunctionsCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.MaintenanceIn, Reporting.TimestampCommands.ServiceAction, 12, CommandFlags.AllowedWithReservation | CommandFlags.PersistentReservationAllowed, Reporting.TimestampCommands.ParseReport, Reporting.TimestampCommands.ExecuteReport),
            CommandDescriptor.ForServiceAction(ScsiOpcode.MaintenanceOut, Reporting.TimestampCommands.ServiceAction, 12, CommandFlags.None, Reporting.TimestampCommands.ParseSet, Reporting.TimestampCommands.ExecuteSet),
            new(ScsiOpcode.LogSense, 10, CommandFlags.AllowedWithReservation | CommandFlags.PersistentReservationAllowed | CommandFlags.AllowedInStandby, Reporting.LogSenseCommand.Parse, Reporting.LogSenseCommand.Execute),
            new(ScsiOpcode.LogSelect, 10, CommandFlags.AllowedInStandby, Reporting.LogSelectCommand.Parse, Reporting.LogSelectCommand.Execute),
        ];

        return new CommandSet(rows);
    }
}
