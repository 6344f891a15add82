using System.Buffers.Binary;

namespace SharpSan.Scsi.Reporting;

/// <summary>
/// REPORT SUPPORTED OPERATION CODES (MAINTENANCE IN, service action 0Ch; SPC-4 6.35): the command set
/// of the addressed logical unit's device type, all commands or one, as the CDB parsers accept them.
/// </summary>
internal static class ReportSupportedOperationCodesCommand
{
    public const byte ServiceAction = 0x0C;

    /// <summary>REPORTING OPTIONS (CDB byte 2 bits 2..0, SPC-4 table 305).</summary>
    private const int AllCommands = 0;
    private const int OneCommand = 1;
    private const int OneCommandWithServiceAction = 2;
    private const int OneCommandEither = 3;

    /// <summary>SUPPORT (SPC-4 table 309): 001b not supported, 011b supported in conformance with a standard.</summary>
    private const byte SupportNotSupported = 0x01;
    private const byte SupportStandard = 0x03;

    /// <summary>Command timeouts descriptor (SPC-4 6.35.4): 12 bytes, DESCRIPTOR LENGTH 0Ah.</summary>
    private const int TimeoutsDescriptorLength = 12;

    /// <summary>The longest CDB listed by the all_commands form (see <see cref="RespondAll"/>).</summary>
    private const int MaxListedCdb = 16;

    /// <summary>The longest CDB any command set here serves (WRITE SAME(32)).</summary>
    private const int LongestCdb = 32;

    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if ((cdb[2] & 0x07) > OneCommandEither)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 2, 2);
            return false;
        }

        return DataIn.Allocate(task, (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]), int.MaxValue));
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        bool rctd = (cdb[2] & 0x80) != 0;
        int options = cdb[2] & 0x07;
        LogicalUnit unit = task.Entry.Unit;
        if (options == AllCommands)
        {
            RespondAll(task, unit, rctd);
            return default;
        }

        byte opcode = cdb[3];
        int serviceAction = BinaryPrimitives.ReadUInt16BigEndian(cdb[4..]);
        CommandSet commands = unit.Commands;
        bool hasServiceActions = commands.HasServiceActions(opcode);
        CommandDescriptor? command = null;
        switch (options)
        {
            case OneCommand:
                // SPC-4 6.35.2: 001b names an opcode without service actions; one with them is an error.
                if (hasServiceActions)
                {
                    task.Fail(SenseReason.InvalidFieldInCdb, 2, 2);
                    return default;
                }

                commands.TryGet(opcode, 0, out command);
                break;
            case OneCommandWithServiceAction:
                // 010b: the opcode must have service actions (a supported one without them is an error;
                // an opcode not supported at all is reported as such).
                if (!hasServiceActions && commands.Contains(opcode))
                {
                    task.Fail(SenseReason.InvalidFieldInCdb, 2, 2);
                    return default;
                }

                if (hasServiceActions && serviceAction <= CommandSet.MaxServiceAction(opcode))
                {
                    commands.TryGet(opcode, serviceAction, out command);
                }

                break;
            default:
                // 011b: the service action counts when the opcode has service actions, else it is ignored.
                if (!hasServiceActions || serviceAction <= CommandSet.MaxServiceAction(opcode))
                {
                    commands.TryGet(opcode, serviceAction, out command);
                }

                break;
        }

        RespondOne(task, unit, command is not null && command.IsAvailableOn(unit) ? command : null, opcode, rctd);
        return default;
    }

    /// <summary>All_commands parameter data (SPC-4 6.35.2): COMMAND DATA LENGTH then one 8-byte command
    /// descriptor per row (20 with its command timeouts descriptor when RCTD is set).
    /// Commands whose CDB is longer than 16 bytes (WRITE SAME(32)) are answered by the one_command forms
    /// but left out of this list: initiators walk it and ask one_command for each entry, and libiscsi
    /// (Debian's 1.19, whose ReportSupportedOpcodes.OneCommand does exactly that) keeps CDB USAGE DATA
    /// in 16 bytes, copies nothing longer and then fails the entry. A 32-byte CDB is only useful with
    /// protection information, which no backstore here has, so no initiator looks for it in this list.</summary>
    private static void RespondAll(ScsiTask task, LogicalUnit unit, bool rctd)
    {
        var rows = unit.Commands.All.Where(r => r.IsAvailableOn(unit) && r.CdbLength <= MaxListedCdb).ToList();
        int descriptorLength = 8 + (rctd ? TimeoutsDescriptorLength : 0);
        var data = new byte[4 + (rows.Count * descriptorLength)];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)(data.Length - 4));
        int offset = 4;
        foreach (CommandDescriptor row in rows)
        {
            Span<byte> d = data.AsSpan(offset, descriptorLength);
            d[0] = (byte)row.Opcode;
            bool servactv = row.ServiceAction != CommandDescriptor.NoServiceAction;
            BinaryPrimitives.WriteUInt16BigEndian(d[2..], (ushort)(servactv ? row.ServiceAction : 0));
            d[5] = (byte)((rctd ? 0x02 : 0x00) | (servactv ? 0x01 : 0x00)); // CTDP, SERVACTV
            BinaryPrimitives.WriteUInt16BigEndian(d[6..], (ushort)row.CdbLength);
            if (rctd)
            {
                WriteTimeouts(d[8..]);
            }

            offset += descriptorLength;
        }

        DataIn.Respond(task, data);
    }

    /// <summary>One_command parameter data (SPC-4 6.35.3): SUPPORT, CDB SIZE and the CDB USAGE DATA.
    /// A command the logical unit does not support: SUPPORT 001b and CDB SIZE 0.</summary>
    private static void RespondOne(ScsiTask task, LogicalUnit unit, CommandDescriptor? command, byte opcode, bool rctd)
    {
        byte[]? usage = command is null ? null : CdbUsageData.Find(unit.DeviceType, command.Opcode, command.ServiceAction);
        int cdbSize = usage is null ? 0 : command!.CdbLength;
        Span<byte> data = stackalloc byte[4 + LongestCdb + TimeoutsDescriptorLength];
        data.Clear();
        int length = 4 + cdbSize + (rctd ? TimeoutsDescriptorLength : 0);
        data[1] = (byte)((rctd ? 0x80 : 0x00) | (usage is null ? SupportNotSupported : SupportStandard));
        BinaryPrimitives.WriteUInt16BigEndian(data[2..], (ushort)cdbSize);
        if (usage is not null)
        {
            usage.AsSpan(0, cdbSize).CopyTo(data[4..]);
            data[4] = opcode;
        }

        if (rctd)
        {
            WriteTimeouts(data[(4 + cdbSize)..]);
        }

        DataIn.Respond(task, data[..length]);
    }

    /// <summary>SPC-4 6.35.4: DESCRIPTOR LENGTH 0Ah; NOMINAL COMMAND PROCESSING TIMEOUT and RECOMMENDED
    /// COMMAND TIMEOUT 0 (not specified: a command's time depends on the backstore).</summary>
    private static void WriteTimeouts(Span<byte> descriptor)
    {
        descriptor[..TimeoutsDescriptorLength].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(descriptor, 0x0A);
    }
}
