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
        | AluaAnyState;

    /// <summary>Served through a target port in any asymmetric access state (SPC-4 5.15.2.4: INQUIRY,
    /// REPORT LUNS, REQUEST SENSE).</summary>
    public const CommandFlags AluaAnyState = CommandFlags.AllowedInStandby | CommandFlags.AllowedInUnavailable
        | CommandFlags.AllowedInTransitioning | CommandFlags.AllowedInOffline;

    /// <summary>Reads or checks the medium.</summary>
    public const CommandFlags Medium = CommandFlags.MediumAccess;

    private const CommandFlags BlockWrite = CommandFlags.MediumWrite | CommandFlags.BlockDataOut | CommandFlags.MediumAccess;

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
            new(ScsiOpcode.TestUnitReady, 6, Medium, SpcCommands.ParseNoData, SpcCommands.Good),
            new(ScsiOpcode.RequestSense, 6, Inventory, SpcCommands.ParseRequestSense, SpcCommands.ExecuteRequestSense),
            new(ScsiOpcode.Inquiry, 6, Inventory, InquiryCommand.Parse, InquiryCommand.Execute),
            new(ScsiOpcode.ReportLuns, 12, Inventory, ReportLunsCommand.Parse, ReportLunsCommand.Execute),
            new(ScsiOpcode.ModeSense6, 6, CommandFlags.AllowedInStandby, ModeSenseCommand.Parse6, ModeSenseCommand.Execute),
            new(ScsiOpcode.ModeSense10, 10, CommandFlags.AllowedInStandby, ModeSenseCommand.Parse10, ModeSenseCommand.Execute),
            new(ScsiOpcode.ModeSelect6, 6, CommandFlags.AllowedInStandby, ModeSelectCommand.Parse6, ModeSelectCommand.Execute),
            new(ScsiOpcode.ModeSelect10, 10, CommandFlags.AllowedInStandby, ModeSelectCommand.Parse10, ModeSelectCommand.Execute),
            new(ScsiOpcode.Reserve6, 6, CommandFlags.None, SpcCommands.ParseReserve6, SpcCommands.ExecuteReserve),
            new(ScsiOpcode.Reserve10, 10, CommandFlags.None, SpcCommands.ParseReserve10, SpcCommands.ExecuteReserve),
            new(ScsiOpcode.Release6, 6, CommandFlags.AllowedWithReservation, SpcCommands.ParseReserve6, SpcCommands.ExecuteRelease),
            new(ScsiOpcode.Release10, 10, CommandFlags.AllowedWithReservation, SpcCommands.ParseReserve10, SpcCommands.ExecuteRelease),
            new(ScsiOpcode.PreventAllowMediumRemoval, 6, CommandFlags.AllowedWithReservation, MediumCommands.ParsePreventAllowBlock, MediumCommands.ExecutePreventAllow),

            // SBC-3
            new(ScsiOpcode.StartStopUnit, 6, CommandFlags.None, MediumCommands.ParseStartStopUnit, MediumCommands.ExecuteStartStopUnit),
            new(ScsiOpcode.ReadCapacity10, 10, Medium | CommandFlags.AllowedInStandby, ReadCapacityCommand.Parse10, ReadCapacityCommand.Execute10),
            CommandDescriptor.ForServiceAction(ScsiOpcode.ServiceActionIn16, ReadCapacityCommand.ServiceActionReadCapacity16, 16, Medium | CommandFlags.AllowedInStandby, ReadCapacityCommand.Parse16, ReadCapacityCommand.Execute16),
            new(ScsiOpcode.Read6, 6, Medium, static t => BlockCommands.Parse6(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
            new(ScsiOpcode.Read10, 10, Medium, static t => BlockCommands.Parse10(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
            new(ScsiOpcode.Read12, 12, Medium, static t => BlockCommands.Parse12(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
            new(ScsiOpcode.Read16, 16, Medium, static t => BlockCommands.Parse16(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
            new(ScsiOpcode.Write6, 6, BlockWrite, static t => BlockCommands.Parse6(t, true), BlockCommands.ExecuteWrite, BlockCommands.TryWriteInline),
            new(ScsiOpcode.Write10, 10, BlockWrite, static t => BlockCommands.Parse10(t, true), BlockCommands.ExecuteWrite, BlockCommands.TryWriteInline),
            new(ScsiOpcode.Write12, 12, BlockWrite, static t => BlockCommands.Parse12(t, true), BlockCommands.ExecuteWrite, BlockCommands.TryWriteInline),
            new(ScsiOpcode.Write16, 16, BlockWrite, static t => BlockCommands.Parse16(t, true), BlockCommands.ExecuteWrite, BlockCommands.TryWriteInline),
            new(ScsiOpcode.WriteAndVerify10, 10, BlockWrite, static t => VerifyCommands.ParseWriteAndVerify(t, 10), BlockCommands.ExecuteWrite),
            new(ScsiOpcode.WriteAndVerify12, 12, BlockWrite, static t => VerifyCommands.ParseWriteAndVerify(t, 12), BlockCommands.ExecuteWrite),
            new(ScsiOpcode.WriteAndVerify16, 16, BlockWrite, static t => VerifyCommands.ParseWriteAndVerify(t, 16), BlockCommands.ExecuteWrite),
            new(ScsiOpcode.Verify10, 10, CommandFlags.BlockDataOut | Medium, static t => VerifyCommands.ParseVerify(t, 10), VerifyCommands.ExecuteVerify),
            new(ScsiOpcode.Verify12, 12, CommandFlags.BlockDataOut | Medium, static t => VerifyCommands.ParseVerify(t, 12), VerifyCommands.ExecuteVerify),
            new(ScsiOpcode.Verify16, 16, CommandFlags.BlockDataOut | Medium, static t => VerifyCommands.ParseVerify(t, 16), VerifyCommands.ExecuteVerify),
            new(ScsiOpcode.SynchronizeCache10, 10, Medium, static t => CacheCommands.ParseSynchronizeCache(t, 10), CacheCommands.ExecuteSynchronizeCache),
            new(ScsiOpcode.SynchronizeCache16, 16, Medium, static t => CacheCommands.ParseSynchronizeCache(t, 16), CacheCommands.ExecuteSynchronizeCache),
            new(ScsiOpcode.PreFetch10, 10, Medium, static t => CacheCommands.ParsePreFetch(t, 10), SpcCommands.Good),
            new(ScsiOpcode.PreFetch16, 16, Medium, static t => CacheCommands.ParsePreFetch(t, 16), SpcCommands.Good),

            // ---- Provisioning (UNMAP, WRITE SAME, GET LBA STATUS): add its rows below this line ----

            // ---- Block (COMPARE AND WRITE, ORWRITE, WRITE ATOMIC, SANITIZE, FORMAT UNIT, READ DEFECT DATA): add its rows below this line ----

            // ---- PersistentReservations: add its rows below this line ----

            // ---- ExtendedCopy: add its rows below this line ----

            // ---- Alua: add its rows below this line ----
            CommandDescriptor.ForServiceAction(ScsiOpcode.MaintenanceIn, ReportTargetPortGroupsCommand.ServiceAction, 12,
                CommandFlags.AllowedWithReservation | CommandFlags.AllowedInStandby | CommandFlags.AllowedInUnavailable | CommandFlags.AllowedInTransitioning,
                ReportTargetPortGroupsCommand.Parse, ReportTargetPortGroupsCommand.Execute),
            CommandDescriptor.ForServiceAction(ScsiOpcode.MaintenanceOut, SetTargetPortGroupsCommand.ServiceAction, 12,
                CommandFlags.AllowedInStandby | CommandFlags.AllowedInUnavailable,
                SetTargetPortGroupsCommand.Parse, SetTargetPortGroupsCommand.Execute),

            // ---- Reporting (REPORT SUPPORTED OPERATION CODES, timestamps, LOG SENSE): add its rows below this line ----
        ];

        return new CommandSet(rows);
    }
}
