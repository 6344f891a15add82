using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace SharpSan.Scsi;

/// <summary>
/// Operation code -> <see cref="CommandDescriptor"/>. Opcodes not listed are answered with
/// ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE (SPC-4 4.5.6).
/// </summary>
internal static class CommandTable
{
    private const CommandFlags Inventory = CommandFlags.AllowedOnUnmappedLun | CommandFlags.AllowedWithUnitAttention | CommandFlags.AllowedWithReservation;
    private const CommandFlags BlockWrite = CommandFlags.MediumWrite | CommandFlags.BlockDataOut;

    private static readonly FrozenDictionary<byte, CommandDescriptor> Commands = Build();

    public static bool TryGet(byte opcode, [NotNullWhen(true)] out CommandDescriptor? command) =>
        Commands.TryGetValue(opcode, out command);

    private static FrozenDictionary<byte, CommandDescriptor> Build()
    {
        CommandDescriptor[] rows =
        [
            // SPC-4
            new(ScsiOpcode.TestUnitReady, 6, CommandFlags.None, SpcCommands.ParseNoData, SpcCommands.Good),
            new(ScsiOpcode.RequestSense, 6, Inventory, SpcCommands.ParseRequestSense, SpcCommands.ExecuteRequestSense),
            new(ScsiOpcode.Inquiry, 6, Inventory, InquiryCommand.Parse, InquiryCommand.Execute),
            new(ScsiOpcode.ReportLuns, 12, Inventory, ReportLunsCommand.Parse, ReportLunsCommand.Execute),
            new(ScsiOpcode.ModeSense6, 6, CommandFlags.None, ModeSenseCommand.Parse6, ModeSenseCommand.Execute),
            new(ScsiOpcode.ModeSense10, 10, CommandFlags.None, ModeSenseCommand.Parse10, ModeSenseCommand.Execute),
            new(ScsiOpcode.ModeSelect6, 6, CommandFlags.None, ModeSelectCommand.Parse6, ModeSelectCommand.Execute),
            new(ScsiOpcode.ModeSelect10, 10, CommandFlags.None, ModeSelectCommand.Parse10, ModeSelectCommand.Execute),
            new(ScsiOpcode.Reserve6, 6, CommandFlags.None, SpcCommands.ParseReserve6, SpcCommands.ExecuteReserve),
            new(ScsiOpcode.Reserve10, 10, CommandFlags.None, SpcCommands.ParseReserve10, SpcCommands.ExecuteReserve),
            new(ScsiOpcode.Release6, 6, CommandFlags.AllowedWithReservation, SpcCommands.ParseReserve6, SpcCommands.ExecuteRelease),
            new(ScsiOpcode.Release10, 10, CommandFlags.AllowedWithReservation, SpcCommands.ParseReserve10, SpcCommands.ExecuteRelease),
            new(ScsiOpcode.PreventAllowMediumRemoval, 6, CommandFlags.AllowedWithReservation, SpcCommands.ParsePreventAllow, SpcCommands.Good),
            new(ScsiOpcode.MaintenanceIn, 12, CommandFlags.AllowedWithReservation, ReportTargetPortGroupsCommand.Parse, ReportTargetPortGroupsCommand.Execute),

            // SBC-3
            new(ScsiOpcode.StartStopUnit, 6, CommandFlags.None, SpcCommands.ParseStartStopUnit, SpcCommands.Good),
            new(ScsiOpcode.ReadCapacity10, 10, CommandFlags.None, ReadCapacityCommand.Parse10, ReadCapacityCommand.Execute10),
            new(ScsiOpcode.ServiceActionIn16, 16, CommandFlags.None, ReadCapacityCommand.ParseServiceActionIn16, ReadCapacityCommand.Execute16),
            new(ScsiOpcode.Read6, 6, CommandFlags.None, static t => BlockCommands.Parse6(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
            new(ScsiOpcode.Read10, 10, CommandFlags.None, static t => BlockCommands.Parse10(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
            new(ScsiOpcode.Read12, 12, CommandFlags.None, static t => BlockCommands.Parse12(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
            new(ScsiOpcode.Read16, 16, CommandFlags.None, static t => BlockCommands.Parse16(t, false), BlockCommands.ExecuteRead, BlockCommands.TryReadInline),
            new(ScsiOpcode.Write6, 6, BlockWrite, static t => BlockCommands.Parse6(t, true), BlockCommands.ExecuteWrite, BlockCommands.TryWriteInline),
            new(ScsiOpcode.Write10, 10, BlockWrite, static t => BlockCommands.Parse10(t, true), BlockCommands.ExecuteWrite, BlockCommands.TryWriteInline),
            new(ScsiOpcode.Write12, 12, BlockWrite, static t => BlockCommands.Parse12(t, true), BlockCommands.ExecuteWrite, BlockCommands.TryWriteInline),
            new(ScsiOpcode.Write16, 16, BlockWrite, static t => BlockCommands.Parse16(t, true), BlockCommands.ExecuteWrite, BlockCommands.TryWriteInline),
            new(ScsiOpcode.WriteAndVerify10, 10, BlockWrite, static t => VerifyCommands.ParseWriteAndVerify(t, 10), BlockCommands.ExecuteWrite),
            new(ScsiOpcode.WriteAndVerify12, 12, BlockWrite, static t => VerifyCommands.ParseWriteAndVerify(t, 12), BlockCommands.ExecuteWrite),
            new(ScsiOpcode.WriteAndVerify16, 16, BlockWrite, static t => VerifyCommands.ParseWriteAndVerify(t, 16), BlockCommands.ExecuteWrite),
            new(ScsiOpcode.Verify10, 10, CommandFlags.BlockDataOut, static t => VerifyCommands.ParseVerify(t, 10), VerifyCommands.ExecuteVerify),
            new(ScsiOpcode.Verify12, 12, CommandFlags.BlockDataOut, static t => VerifyCommands.ParseVerify(t, 12), VerifyCommands.ExecuteVerify),
            new(ScsiOpcode.Verify16, 16, CommandFlags.BlockDataOut, static t => VerifyCommands.ParseVerify(t, 16), VerifyCommands.ExecuteVerify),
            new(ScsiOpcode.SynchronizeCache10, 10, CommandFlags.None, static t => CacheCommands.ParseSynchronizeCache(t, 10), CacheCommands.ExecuteSynchronizeCache),
            new(ScsiOpcode.SynchronizeCache16, 16, CommandFlags.None, static t => CacheCommands.ParseSynchronizeCache(t, 16), CacheCommands.ExecuteSynchronizeCache),
            new(ScsiOpcode.PreFetch10, 10, CommandFlags.None, static t => CacheCommands.ParsePreFetch(t, 10), SpcCommands.Good),
            new(ScsiOpcode.PreFetch16, 16, CommandFlags.None, static t => CacheCommands.ParsePreFetch(t, 16), SpcCommands.Good),
        ];

        var map = new Dictionary<byte, CommandDescriptor>(rows.Length);
        foreach (CommandDescriptor row in rows)
        {
            map.Add((byte)row.Opcode, row);
        }

        return map.ToFrozenDictionary();
    }
}
