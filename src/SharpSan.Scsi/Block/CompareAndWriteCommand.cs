using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace SharpSan.Scsi;

/// <summary>
/// COMPARE AND WRITE (SBC-3 5.2): the Data-Out buffer holds the verify instance (N blocks) followed by
/// the write instance (N blocks). The device server reads the N blocks at the LBA, compares them with
/// the verify instance and, only if every byte matches, writes the write instance — as one operation
/// no other writer of the unit can interleave with (the unit's <see cref="AtomicWriteGate"/>). VMware's
/// ATS locking and cluster file systems rely on exactly this.
/// </summary>
internal static class CompareAndWriteCommand
{
    /// <summary>MAXIMUM COMPARE AND WRITE LENGTH (VPD B0h byte 5): the largest NUMBER OF LOGICAL BLOCKS
    /// the one-byte field can hold.</summary>
    public const int MaxBlocks = 255;

    /// <summary>
    /// CDB: WRPROTECT (byte 1 bits 7-5) must be 0 (no protection information), DPO and FUA are
    /// honoured (FUA: the write instance is durable before GOOD), FUA_NV ignored; LBA bytes 2-9; NUMBER
    /// OF LOGICAL BLOCKS byte 13. The initiator must send exactly 2 × N blocks: a Data-Out of any other
    /// length cannot be split into the two instances, so it is refused with INVALID FIELD IN CDB
    /// pointing at NUMBER OF LOGICAL BLOCKS (as is an N of 0 with data, e.g. a truncated 256).
    /// </summary>
    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if (!BlockCommands.CheckProtectAndFlags(task, cdb[1]))
        {
            return false;
        }

        ulong lba = BinaryPrimitives.ReadUInt64BigEndian(cdb[2..]);
        uint count = cdb[13];
        if (!BlockCommands.CheckRange(task, lba, count))
        {
            return false;
        }

        // Reserved bits first: they are errors in the CDB whatever the Data-Out (SPC-4 4.4.1), and the
        // Data-Out check below would otherwise hide them behind NUMBER OF LOGICAL BLOCKS.
        if (task.Command is { } command && !Reporting.CdbUsageData.CheckReservedBits(task, command, task.Entry.Unit.DeviceType))
        {
            return false;
        }

        long bytes = 2L * count * task.Entry.Unit.Backstore.BlockSize;
        if (count > MaxBlocks || task.ExpectedDataTransferLength != bytes)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 13, -1);
            return false;
        }

        task.Lba = lba;
        task.BlockCount = count;
        task.Flags = BlockCommands.FlagWrite | ((cdb[1] & 0x08) != 0 ? BlockCommands.FlagFua : 0);
        task.Direction = count == 0 ? DataDirection.None : DataDirection.Write;
        task.TransferLength = (int)bytes;
        return true;
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        if (task.BlockCount == 0)
        {
            // SBC-3 5.2: a NUMBER OF LOGICAL BLOCKS of zero is not an error; nothing is read or written.
            return default;
        }

        if (!AtomicDataOut.IsWhole(task))
        {
            return default;
        }

        return CompareAndWriteAsync(task, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask CompareAndWriteAsync(ScsiTask task, CancellationToken cancellationToken)
    {
        LogicalUnit unit = task.Entry.Unit;
        IBackstore backstore = unit.Backstore;
        int bytes = task.TransferLength / 2;
        byte[] medium = ArrayPool<byte>.Shared.Rent(bytes);
        await unit.WriteGate.CloseAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await backstore.ReadAsync(task.Lba, medium.AsMemory(0, bytes), cancellationToken).ConfigureAwait(false);
            int common = task.Buffer.AsSpan(0, bytes).CommonPrefixLength(medium.AsSpan(0, bytes));
            if (common != bytes)
            {
                // SBC-3 5.2: MISCOMPARE, MISCOMPARE DURING VERIFY OPERATION; INFORMATION is the offset
                // of the first byte of the verify instance that did not match. Nothing is written.
                task.Fail(SenseReason.MiscompareDuringVerify, information: (ulong)common);
                return;
            }

            WriteFlags flags = (task.Flags & BlockCommands.FlagFua) != 0 ? WriteFlags.Fua : WriteFlags.None;
            await backstore.WriteAsync(task.Lba, task.Buffer.AsMemory(bytes, bytes), flags, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            unit.WriteGate.Open();
            ArrayPool<byte>.Shared.Return(medium);
        }
    }
}
