using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// READ and WRITE (6/10/12/16) (SBC-3 5.7-5.10, 5.29-5.32): the hot path. Parsing is span-based and
/// execution hands the fabric's buffer to the backstore without copies, locks or allocations.
/// </summary>
internal static class BlockCommands
{
    public const int FlagFua = 0x01;
    public const int FlagWrite = 0x02;

    /// <summary>Largest transfer accepted in one command (VPD 0xB0 MAXIMUM TRANSFER LENGTH).</summary>
    public const int MaxTransferBytes = 8 * 1024 * 1024;

    /// <summary>Preferred transfer size (VPD 0xB0 OPTIMAL TRANSFER LENGTH).</summary>
    public const int OptimalTransferBytes = 1024 * 1024;

    // ---- parsing ----

    /// <summary>READ(6)/WRITE(6) (SBC-3 5.7, 5.29): 21-bit LBA; a TRANSFER LENGTH of 0 means 256 blocks.</summary>
    public static bool Parse6(ScsiTask task, bool write)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        ulong lba = ((uint)(cdb[1] & 0x1F) << 16) | ((uint)cdb[2] << 8) | cdb[3];
        uint count = cdb[4] == 0 ? 256u : cdb[4];
        return SetRange(task, lba, count, 4, write, write ? DataDirection.Write : DataDirection.Read, fua: false);
    }

    public static bool Parse10(ScsiTask task, bool write)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if (!CheckProtectAndFlags(task, cdb[1]))
        {
            return false;
        }

        return SetRange(task, BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]), BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]),
            7, write, write ? DataDirection.Write : DataDirection.Read, (cdb[1] & 0x08) != 0);
    }

    public static bool Parse12(ScsiTask task, bool write)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if (!CheckProtectAndFlags(task, cdb[1]))
        {
            return false;
        }

        return SetRange(task, BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]), BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]),
            6, write, write ? DataDirection.Write : DataDirection.Read, (cdb[1] & 0x08) != 0);
    }

    public static bool Parse16(ScsiTask task, bool write)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if (!CheckProtectAndFlags(task, cdb[1]))
        {
            return false;
        }

        return SetRange(task, BinaryPrimitives.ReadUInt64BigEndian(cdb[2..]), BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]),
            10, write, write ? DataDirection.Write : DataDirection.Read, (cdb[1] & 0x08) != 0);
    }

    /// <summary>SBC-3 5.8: RDPROTECT/WRPROTECT must be 0 (no protection information is supported).
    /// DPO (bit 4) and FUA_NV (bit 1) are accepted and ignored.</summary>
    public static bool CheckProtectAndFlags(ScsiTask task, byte flags)
    {
        if ((flags & 0xE0) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 7);
            return false;
        }

        return true;
    }

    /// <summary>
    /// The one LBA range check (SBC-3 4.5: LOGICAL BLOCK ADDRESS OUT OF RANGE), overflow-safe, then the
    /// transfer limit (SBC-3 6.6.4: INVALID FIELD IN CDB pointing at TRANSFER LENGTH).
    /// </summary>
    public static bool CheckRange(ScsiTask task, ulong lba, ulong count)
    {
        ulong capacity = task.Entry.Unit.Backstore.BlockCount;
        if (lba > capacity || count > capacity - lba)
        {
            task.Fail(SenseReason.LogicalBlockAddressOutOfRange);
            return false;
        }

        return true;
    }

    public static bool SetRange(ScsiTask task, ulong lba, uint count, int lengthByte, bool write, DataDirection direction, bool fua)
    {
        if (!CheckRange(task, lba, count))
        {
            return false;
        }

        ulong bytes = (ulong)count * (uint)task.Entry.Unit.Backstore.BlockSize;
        if (bytes > MaxTransferBytes)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, lengthByte, -1);
            return false;
        }

        task.Lba = lba;
        task.BlockCount = count;
        task.Flags = (fua ? FlagFua : 0) | (write ? FlagWrite : 0);
        task.Direction = direction;
        task.TransferLength = (int)bytes;
        return true;
    }

    // ---- execution ----

    public static ValueTask ExecuteRead(ScsiTask task, CancellationToken cancellationToken)
    {
        int bytes = task.TransferLength;
        task.DataLength = bytes;
        if (bytes == 0)
        {
            return default;
        }

        // FUA on a read needs no flush: the backstore's cache is coherent with its medium (SBC-3 5.8).
        return task.Entry.Unit.Backstore.ReadAsync(task.Lba, task.Buffer.AsMemory(0, bytes), cancellationToken);
    }

    public static bool TryReadInline(ScsiTask task)
    {
        int bytes = task.TransferLength;
        IBackstore backstore = task.Entry.Unit.Backstore;
        if (bytes != 0 && task.AcceptsDataFile && backstore.TryGetZeroCopyRange(task.Lba, bytes, out Microsoft.Win32.SafeHandles.SafeFileHandle? file, out long offset))
        {
            task.DataFile = file;
            task.DataFileOffset = offset;
            task.DataLength = bytes;
            return true;
        }

        if (bytes > ScsiDispatcher.InlineTransferLimit)
        {
            return false;
        }

        if (bytes != 0 && !backstore.TryReadWithoutBlocking(task.Lba, task.Buffer.AsSpan(0, bytes)))
        {
            return false;
        }

        task.DataLength = bytes;
        return true;
    }

    public static bool TryWriteInline(ScsiTask task)
    {
        int bytes = WriteLength(task);
        if (bytes <= 0 || bytes > ScsiDispatcher.InlineTransferLimit)
        {
            // Nothing to write, a fault ExecuteWrite reports, or too large a copy for the receive path.
            return false;
        }

        WriteFlags flags = (task.Flags & FlagFua) != 0 ? WriteFlags.Fua : WriteFlags.None;
        return task.Entry.Unit.Backstore.TryWriteWithoutBlocking(task.Lba, task.Buffer.AsSpan(0, bytes), flags);
    }

    /// <summary>Bytes a WRITE stores: the CDB's length, or only the whole blocks that arrived when the
    /// initiator's Expected Data Transfer Length was shorter (residual overflow, as LIO does); -1 when
    /// the data buffer is missing.</summary>
    private static int WriteLength(ScsiTask task)
    {
        int bytes = task.TransferLength;
        if (bytes == 0)
        {
            return 0;
        }

        if (task.DataLength < bytes)
        {
            int blockSize = task.Entry.Unit.Backstore.BlockSize;
            bytes = task.DataLength / blockSize * blockSize;
            if (bytes == 0) return 0;
        }

        return task.Buffer is null ? -1 : bytes;
    }

    public static ValueTask ExecuteWrite(ScsiTask task, CancellationToken cancellationToken)
    {
        int bytes = WriteLength(task);
        if (bytes == 0)
        {
            return default;
        }

        if (bytes < 0)
        {
            task.Fail(SenseReason.InvalidFieldInCommandInformationUnit);
            return default;
        }

        WriteFlags flags = (task.Flags & FlagFua) != 0 ? WriteFlags.Fua : WriteFlags.None;
        return task.Entry.Unit.Backstore.WriteAsync(task.Lba, task.Buffer.AsMemory(0, bytes), flags, cancellationToken);
    }
}
