using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// WRITE SAME (10), (16) and (32) (SBC-3 5.41, 5.42; SBC-4 WRITE SAME(32), a variable length CDB with
/// service action 000Dh): one logical block written to every block of a range,
/// or the range deallocated when the UNMAP bit asks for it (SBC-4 5.x, table "ANCHOR bit, UNMAP bit and
/// ANC_SUP bit relationships": UNMAP=1, ANCHOR=0 is an unmap operation on each LBA, not a write).
/// NUMBER OF LOGICAL BLOCKS 0 means "to the last LBA" (WSNZ=0 in VPD B0h), bounded by MAXIMUM WRITE
/// SAME LENGTH like any other length. Zeros go through the backstore's zeroing operation, any other
/// pattern through <see cref="BlockPatternWriter"/>'s pooled chunks. The three CDBs share one parser and
/// one execution: (32) differs only in where its fields are (flags in byte 10, LBA in 12-19, NUMBER OF
/// LOGICAL BLOCKS in 28-31) and in its protection information fields (EXPECTED INITIAL LOGICAL BLOCK
/// REFERENCE TAG, EXPECTED LOGICAL BLOCK APPLICATION TAG, LOGICAL BLOCK APPLICATION TAG MASK), which with
/// WRPROTECT=0 on a unit without protection information are not used (SBC-4 4.22) and so are ignored.
/// </summary>
internal static class WriteSameCommand
{
    private const int FlagUnmap = 0x100;
    private const int FlagNoDataOut = 0x200;

    /// <summary>SERVICE ACTION of WRITE SAME(32) in the variable length CDB (bytes 8-9).</summary>
    public const ushort ServiceActionWriteSame32 = 0x000D;

    public static bool Parse10(ScsiTask task) => Parse(task, 10);

    public static bool Parse16(ScsiTask task) => Parse(task, 16);

    public static bool Parse32(ScsiTask task) => Parse(task, 32);

    private static bool Parse(ScsiTask task, int cdbLength)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        LogicalUnit unit = task.Entry.Unit;
        LogicalBlockProvisioning provisioning = unit.Provisioning;
        // WRPROTECT, ANCHOR, UNMAP, PBDATA, LBDATA, NDOB: byte 1, byte 10 of WRITE SAME(32).
        int flagsByte = cdbLength == 32 ? 10 : 1;
        byte flags = cdb[flagsByte];

        if ((flags & 0xE0) != 0)
        {
            // WRPROTECT: no protection information is supported (and with it the protection fields of
            // WRITE SAME(32) stay unused).
            task.Fail(SenseReason.InvalidFieldInCdb, flagsByte, 7);
            return false;
        }

        // PBDATA (bit 2) and LBDATA (bit 1) ask for physical/logical block addresses to be written into
        // each block (obsolete in SBC-3); LIO refuses them for every backend, and so do we.
        if ((flags & 0x04) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, flagsByte, 2);
            return false;
        }

        if ((flags & 0x02) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, flagsByte, 1);
            return false;
        }

        bool noDataOut = (flags & 0x01) != 0;
        if (noDataOut && cdbLength == 10)
        {
            // Bit 0 of WRITE SAME(10) is obsolete; NDOB exists only in WRITE SAME(16) and (32).
            task.Fail(SenseReason.InvalidFieldInCdb, flagsByte, 0);
            return false;
        }

        bool unmap = (flags & 0x08) != 0;
        if ((flags & 0x10) != 0)
        {
            // ANCHOR: invalid without UNMAP, and the anchored state is not supported (ANC_SUP=0).
            task.Fail(SenseReason.InvalidFieldInCdb, flagsByte, 4);
            return false;
        }

        if (unmap && !provisioning.WriteSameUnmap)
        {
            // LBPWS / LBPWS10 are 0: the logical unit does not deallocate through WRITE SAME.
            task.Fail(SenseReason.InvalidFieldInCdb, flagsByte, 3);
            return false;
        }

        ulong lba;
        ulong count;
        int lengthByte;
        if (cdbLength == 10)
        {
            lba = BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]);
            count = BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);
            lengthByte = 7;
        }
        else if (cdbLength == 16)
        {
            lba = BinaryPrimitives.ReadUInt64BigEndian(cdb[2..]);
            count = BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]);
            lengthByte = 10;
        }
        else
        {
            lba = BinaryPrimitives.ReadUInt64BigEndian(cdb[12..]);
            count = BinaryPrimitives.ReadUInt32BigEndian(cdb[28..]);
            lengthByte = 28;
        }

        ulong capacity = unit.Backstore.BlockCount;
        if (count == 0)
        {
            // SBC-3 5.41: 0 blocks = from LBA to the last LBA, which must exist.
            if (lba >= capacity)
            {
                task.Fail(SenseReason.LogicalBlockAddressOutOfRange);
                return false;
            }

            count = capacity - lba;
        }
        else if (lba > capacity || count > capacity - lba)
        {
            task.Fail(SenseReason.LogicalBlockAddressOutOfRange);
            return false;
        }

        if ((provisioning.MaximumWriteSameLength != 0 && count > provisioning.MaximumWriteSameLength) || count > uint.MaxValue)
        {
            // SBC-3 5.41: more blocks than MAXIMUM WRITE SAME LENGTH (VPD B0h) is INVALID FIELD IN CDB.
            task.Fail(SenseReason.InvalidFieldInCdb, lengthByte, -1);
            return false;
        }

        int blockSize = unit.Backstore.BlockSize;
        if (!noDataOut && task.ExpectedDataTransferLength != (uint)blockSize)
        {
            // The Data-Out buffer is exactly one logical block; an initiator announcing more or less
            // is refused before any data moves (LIO: overflow/underflow of a WRITE SAME).
            task.Fail(SenseReason.InvalidFieldInCdb);
            return false;
        }

        task.Lba = lba;
        task.BlockCount = (uint)count;
        task.Flags = BlockCommands.FlagWrite | (unmap ? FlagUnmap : 0) | (noDataOut ? FlagNoDataOut : 0);
        task.Direction = noDataOut ? DataDirection.None : DataDirection.Write;
        task.TransferLength = noDataOut ? 0 : blockSize;
        return true;
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        IBackstore backstore = task.Entry.Unit.Backstore;
        int blockSize = backstore.BlockSize;
        // BlockCount holds the number of blocks: "to the end" was refused above when over 32 bits.
        ulong count = task.BlockCount;
        if ((task.Flags & FlagUnmap) != 0)
        {
            // SBC-4 WRITE SAME, UNMAP=1 and ANCHOR=0: "the device server in a thin provisioned logical
            // unit should deallocate each LBA specified by the command"; the Data-Out block is not
            // written (LIO and the Linux sd driver's discard through WRITE SAME rely on it). Deallocated
            // blocks then read as LBPRZ promises (zeros): every backstore's DeallocateAsync zeroes what
            // it cannot free. Only units with LBPWS/LBPWS10 get here (Parse refused the bit otherwise).
            if ((task.Flags & FlagNoDataOut) == 0 && (task.Buffer is null || task.DataLength < blockSize))
            {
                task.Fail(SenseReason.InvalidFieldInCommandInformationUnit);
                return default;
            }

            return backstore.DeallocateAsync(task.Lba, count, WriteFlags.None, cancellationToken);
        }

        ReadOnlyMemory<byte> block = ReadOnlyMemory<byte>.Empty;
        if ((task.Flags & FlagNoDataOut) == 0)
        {
            if (task.Buffer is null || task.DataLength < blockSize)
            {
                task.Fail(SenseReason.InvalidFieldInCommandInformationUnit);
                return default;
            }

            block = task.Buffer.AsMemory(0, blockSize);
            if (!block.Span.ContainsAnyExcept((byte)0))
            {
                block = ReadOnlyMemory<byte>.Empty;
            }
        }

        // UNMAP=0: the blocks are written and stay mapped; zeros go through the backstore's zeroing.
        return block.IsEmpty
            ? backstore.WriteZeroesAsync(task.Lba, count, WriteFlags.None, cancellationToken)
            : BlockPatternWriter.WriteAsync(backstore, task.Lba, count, block, WriteFlags.None, cancellationToken);
    }
}
