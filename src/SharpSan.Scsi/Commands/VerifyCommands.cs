using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace SharpSan.Scsi;

/// <summary>VERIFY (10/12/16) (SBC-3 5.33-5.35) and WRITE AND VERIFY (10/12/16) (SBC-3 5.37-5.39).</summary>
internal static class VerifyCommands
{
    private const int BytchkShift = 4;

    /// <summary>Reads the LBA and transfer length of a 10-, 12- or 16-byte block CDB.</summary>
    private static void ReadLbaAndLength(ReadOnlySpan<byte> cdb, int cdbLength, out ulong lba, out uint count, out int lengthByte)
    {
        switch (cdbLength)
        {
            case 10:
                lba = BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]);
                count = BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);
                lengthByte = 7;
                break;
            case 12:
                lba = BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]);
                count = BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]);
                lengthByte = 6;
                break;
            default:
                lba = BinaryPrimitives.ReadUInt64BigEndian(cdb[2..]);
                count = BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]);
                lengthByte = 10;
                break;
        }
    }

    /// <summary>
    /// WRITE AND VERIFY: WRPROTECT must be 0; BYTCHK 0 or 1 (SBC-3 5.37: the verification compares the
    /// medium with the data just written, which a coherent backstore cannot fail). The write is done
    /// with FUA so it is on the medium before GOOD is returned, as LIO does.
    /// </summary>
    public static bool ParseWriteAndVerify(ScsiTask task, int cdbLength)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if (!BlockCommands.CheckProtectAndFlags(task, cdb[1]))
        {
            return false;
        }

        if ((cdb[1] & 0x04) != 0)
        {
            // SBC-4 BYTCHK 10b/11b are reserved for WRITE AND VERIFY.
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 2);
            return false;
        }

        ReadLbaAndLength(cdb, cdbLength, out ulong lba, out uint count, out int lengthByte);
        return BlockCommands.SetRange(task, lba, count, lengthByte, write: true, DataDirection.Write, fua: true);
    }

    /// <summary>
    /// VERIFY: VRPROTECT must be 0. BYTCHK (SBC-4 bits 2:1) 00b: check the range only (there is no
    /// medium verification to fail); 01b: compare the Data-Out buffer with the medium; 11b: compare
    /// one Data-Out block with every block of the range; 10b is reserved.
    /// </summary>
    public static bool ParseVerify(ScsiTask task, int cdbLength)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if (!BlockCommands.CheckProtectAndFlags(task, cdb[1]))
        {
            return false;
        }

        int bytchk = (cdb[1] >> 1) & 0x03;
        if (bytchk == 2)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 2);
            return false;
        }

        ReadLbaAndLength(cdb, cdbLength, out ulong lba, out uint count, out int lengthByte);
        if (bytchk == 0)
        {
            if (!BlockCommands.CheckRange(task, lba, count))
            {
                return false;
            }

            task.Lba = lba;
            task.BlockCount = count;
            return true;
        }

        if (!BlockCommands.SetRange(task, lba, count, lengthByte, write: false, DataDirection.Write, fua: false))
        {
            return false;
        }

        if (bytchk == 3 && count != 0)
        {
            task.TransferLength = task.Entry.Unit.Backstore.BlockSize;
        }

        task.Flags |= bytchk << BytchkShift;
        return true;
    }

    public static ValueTask ExecuteVerify(ScsiTask task, CancellationToken cancellationToken)
    {
        int bytchk = (task.Flags >> BytchkShift) & 0x03;
        if (bytchk == 0 || task.BlockCount == 0)
        {
            return default;
        }

        if (task.DataLength < task.TransferLength || task.Buffer is null)
        {
            task.Fail(SenseReason.InvalidFieldInCommandInformationUnit);
            return default;
        }

        return CompareWithMedium(task, bytchk, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask CompareWithMedium(ScsiTask task, int bytchk, CancellationToken cancellationToken)
    {
        IBackstore backstore = task.Entry.Unit.Backstore;
        int blockSize = backstore.BlockSize;
        int bytes = checked((int)task.BlockCount * blockSize);
        byte[] medium = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            await backstore.ReadAsync(task.Lba, medium.AsMemory(0, bytes), cancellationToken).ConfigureAwait(false);
            int mismatch = bytchk == 1
                ? FirstDifference(task.Buffer.AsSpan(0, bytes), medium.AsSpan(0, bytes))
                : FirstDifferenceAgainstBlock(task.Buffer.AsSpan(0, blockSize), medium.AsSpan(0, bytes));
            if (mismatch >= 0)
            {
                // SBC-3 5.33: MISCOMPARE; INFORMATION = offset of the first byte that did not match.
                task.Fail(SenseReason.MiscompareDuringVerify, information: (ulong)mismatch);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(medium);
        }
    }

    private static int FirstDifference(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        int common = expected.CommonPrefixLength(actual);
        return common == expected.Length ? -1 : common;
    }

    private static int FirstDifferenceAgainstBlock(ReadOnlySpan<byte> block, ReadOnlySpan<byte> medium)
    {
        for (int offset = 0; offset < medium.Length; offset += block.Length)
        {
            int common = block.CommonPrefixLength(medium.Slice(offset, block.Length));
            if (common != block.Length)
            {
                return offset + common;
            }
        }

        return -1;
    }
}
