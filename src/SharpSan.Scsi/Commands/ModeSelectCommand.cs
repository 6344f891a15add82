using System.Buffers.Binary;
using System.Numerics;

namespace SharpSan.Scsi;

/// <summary>
/// MODE SELECT (6) (SPC-4 6.9) and (10) (SPC-4 6.10). A parameter list is accepted when every
/// non-changeable field repeats the current value; only D_SENSE, SWP and TAS can change (QERR cannot). Anything else is
/// ILLEGAL REQUEST / INVALID FIELD IN PARAMETER LIST with a field pointer (C/D=0).
/// </summary>
internal static class ModeSelectCommand
{
    public static bool Parse6(ScsiTask task) => Parse(task, task.CdbBuffer[4]);

    public static bool Parse10(ScsiTask task) => Parse(task, BinaryPrimitives.ReadUInt16BigEndian(task.CdbBuffer[7..]));

    private static bool Parse(ScsiTask task, int parameterListLength)
    {
        byte flags = task.CdbBuffer[1];
        if ((flags & 0x01) != 0)
        {
            // SPC-4 6.9: SP=1 with no saved pages -> INVALID FIELD IN CDB.
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 0);
            return false;
        }

        if ((flags & 0x10) == 0 && parameterListLength != 0)
        {
            // PF=0 means vendor specific pages; only the SPC page format is understood.
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 4);
            return false;
        }

        task.Direction = parameterListLength == 0 ? DataDirection.None : DataDirection.Write;
        task.TransferLength = parameterListLength;
        return true;
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        int length = task.TransferLength;
        if (length == 0)
        {
            return default;
        }

        if (task.DataLength < length || task.Buffer is null)
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return default;
        }

        LogicalUnit unit = task.Entry.Unit;
        bool wasProtected = unit.SoftwareWriteProtect;
        Apply(task, task.Buffer.AsSpan(0, length), task.CdbBuffer[0] == (byte)ScsiOpcode.ModeSelect10);

        // SPC-4 7.5.8: with SWP set the unit inhibits writing to the medium "after writing all cached or
        // buffered write data": what the backstore's cache holds is made durable before the command ends.
        return !wasProtected && unit.SoftwareWriteProtect && unit.Backstore.WriteCacheEnabled
            ? unit.Backstore.FlushAsync(cancellationToken)
            : default;
    }

    private static void Apply(ScsiTask task, ReadOnlySpan<byte> list, bool ten)
    {
        LogicalUnit unit = task.Entry.Unit;
        int header = ten ? 8 : 4;
        if (list.Length < header)
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return;
        }

        // SPC-4 7.5.4/7.5.5: MODE DATA LENGTH is reserved for MODE SELECT; MEDIUM TYPE must be 0.
        int mediumType = ten ? 2 : 1;
        if (list[mediumType] != 0)
        {
            FailField(task, mediumType, 7);
            return;
        }

        bool longLba = ten && (list[4] & 0x01) != 0;
        int descriptorLength = ten ? BinaryPrimitives.ReadUInt16BigEndian(list[6..]) : list[3];
        int expected = longLba ? 16 : 8;
        if (descriptorLength != 0 && descriptorLength != expected)
        {
            FailField(task, ten ? 6 : 3, 7);
            return;
        }

        if (header + descriptorLength > list.Length)
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return;
        }

        if (descriptorLength != 0 && !CheckBlockDescriptor(task, list.Slice(header, descriptorLength), header, longLba))
        {
            return;
        }

        bool? descriptorSense = null;
        bool? softwareWriteProtect = null;
        bool taskAbortedStatus = unit.TaskAbortedStatus;
        Span<byte> current = stackalloc byte[ModePages.MaxPageLength];
        Span<byte> changeable = stackalloc byte[ModePages.MaxPageLength];
        int offset = header + descriptorLength;
        while (offset < list.Length)
        {
            if (list.Length - offset < 2)
            {
                task.Fail(SenseReason.ParameterListLengthError);
                return;
            }

            byte code = (byte)(list[offset] & 0x3F);
            if ((list[offset] & 0x40) != 0)
            {
                FailField(task, offset, 6); // SPF: no subpages are implemented
                return;
            }

            int pageLength = ModePages.Build(code, PageControl.Current, unit, current);
            ModePages.Build(code, PageControl.Changeable, unit, changeable);
            if (pageLength == 0)
            {
                FailField(task, offset, 5);
                return;
            }

            if (list[offset + 1] != pageLength - 2)
            {
                FailField(task, offset + 1, 7);
                return;
            }

            if (list.Length - offset < pageLength)
            {
                task.Fail(SenseReason.ParameterListLengthError);
                return;
            }

            ReadOnlySpan<byte> page = list.Slice(offset, pageLength);
            for (int i = 2; i < pageLength; i++)
            {
                int differs = (page[i] ^ current[i]) & ~changeable[i];
                if (differs != 0)
                {
                    FailField(task, offset + i, 31 - BitOperations.LeadingZeroCount((uint)differs));
                    return;
                }
            }

            if (code == ModePages.Control)
            {
                descriptorSense = (page[2] & 0x04) != 0;
                softwareWriteProtect = (page[4] & 0x08) != 0;
                taskAbortedStatus = (page[5] & 0x40) != 0;
            }

            offset += pageLength;
        }

        if (descriptorSense.HasValue && softwareWriteProtect.HasValue)
        {
            unit.SetControlMode(descriptorSense.Value, softwareWriteProtect.Value, taskAbortedStatus, task.Nexus);
        }
    }

    /// <summary>SBC-3 6.4.2: the block length cannot change; NUMBER OF LOGICAL BLOCKS is 0 (no change)
    /// or the current value.</summary>
    private static bool CheckBlockDescriptor(ScsiTask task, ReadOnlySpan<byte> descriptor, int offset, bool longLba)
    {
        IBackstore backstore = task.Entry.Unit.Backstore;
        ulong blocks;
        uint blockLength;
        ulong reported;
        if (longLba)
        {
            blocks = BinaryPrimitives.ReadUInt64BigEndian(descriptor);
            blockLength = BinaryPrimitives.ReadUInt32BigEndian(descriptor[12..]);
            reported = backstore.BlockCount;
        }
        else
        {
            blocks = BinaryPrimitives.ReadUInt32BigEndian(descriptor);
            blockLength = ((uint)descriptor[5] << 16) | ((uint)descriptor[6] << 8) | descriptor[7];
            reported = Math.Min(backstore.BlockCount, uint.MaxValue);
        }

        if (blocks != 0 && blocks != reported)
        {
            FailField(task, offset, 7);
            return false;
        }

        if (blockLength != (uint)backstore.BlockSize)
        {
            FailField(task, offset + (longLba ? 12 : 5), 7);
            return false;
        }

        return true;
    }

    private static void FailField(ScsiTask task, int fieldByte, int bit) =>
        task.Fail(SenseReason.InvalidFieldInParameterList, fieldByte, bit, inCdb: false);
}
