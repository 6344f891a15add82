using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>SYNCHRONIZE CACHE (10/16) (SBC-3 5.22, 5.23) and PRE-FETCH (10/16) (SBC-3 5.4, 5.5).</summary>
internal static class CacheCommands
{
    /// <summary>Range check only; NUMBER OF LOGICAL BLOCKS 0 means "to the end of the medium".
    /// IMMED is accepted: the flush still completes before status (allowed by SBC-3 5.22).</summary>
    public static bool ParseSynchronizeCache(ScsiTask task, int cdbLength)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        ulong lba = cdbLength == 10 ? BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]) : BinaryPrimitives.ReadUInt64BigEndian(cdb[2..]);
        uint count = cdbLength == 10 ? BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]) : BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]);
        if (!BlockCommands.CheckRange(task, lba, count))
        {
            return false;
        }

        task.Lba = lba;
        task.BlockCount = count;
        return true;
    }

    public static ValueTask ExecuteSynchronizeCache(ScsiTask task, CancellationToken cancellationToken)
    {
        // A write error while flushing is reported as MEDIUM ERROR / WRITE ERROR (SBC-3 5.22).
        task.Flags |= BlockCommands.FlagWrite;
        return task.Entry.Unit.Backstore.FlushAsync(cancellationToken);
    }

    /// <summary>PRE-FETCH: range check and GOOD. SBC-3 5.4 returns CONDITION MET only when the blocks
    /// were placed in a cache; the backstores leave caching to the host, so GOOD is the honest status.</summary>
    public static bool ParsePreFetch(ScsiTask task, int cdbLength)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        ulong lba = cdbLength == 10 ? BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]) : BinaryPrimitives.ReadUInt64BigEndian(cdb[2..]);
        uint count = cdbLength == 10 ? BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]) : BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]);
        return BlockCommands.CheckRange(task, lba, count);
    }
}
