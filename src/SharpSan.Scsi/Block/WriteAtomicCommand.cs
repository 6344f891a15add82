using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace SharpSan.Scsi;

/// <summary>
/// WRITE ATOMIC(16) (SBC-4 5.48; opcode 9Ch): writes its blocks as one atomic write operation — no
/// other command of any nexus sees or leaves a mix of old and new blocks of the range through a write of
/// its own (the unit's <see cref="AtomicWriteGate"/>). The limits are reported in the Block Limits VPD
/// page (SBC-4 6.6.4) from <see cref="MaxTransferBlocks"/> and the constants below.
/// </summary>
internal static class WriteAtomicCommand
{
    /// <summary>ATOMIC ALIGNMENT: 0, no alignment requirement (the gate does not depend on it).</summary>
    public const uint Alignment = 0;

    /// <summary>ATOMIC TRANSFER LENGTH GRANULARITY: 0, any number of blocks.</summary>
    public const uint Granularity = 0;

    /// <summary>MAXIMUM ATOMIC BOUNDARY SIZE and MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY: 0,
    /// atomic boundaries are not supported, so the ATOMIC BOUNDARY field must be 0.</summary>
    public const uint MaxBoundarySize = 0;

    /// <summary>MAXIMUM ATOMIC TRANSFER LENGTH: as large as any write (the gate holds for any length);
    /// never more than MAXIMUM TRANSFER LENGTH, as SBC-4 6.6.4 requires.</summary>
    public static uint MaxTransferBlocks(int blockSize) => (uint)(BlockCommands.MaxTransferBytes / blockSize);

    /// <summary>
    /// CDB: WRPROTECT (byte 1 bits 7-5) must be 0, DPO and FUA honoured; LBA bytes 2-9; ATOMIC BOUNDARY
    /// bytes 10-11 must be 0 (no boundaries supported); TRANSFER LENGTH bytes 12-13 within MAXIMUM
    /// ATOMIC TRANSFER LENGTH, else INVALID FIELD IN CDB (SBC-4 5.48).
    /// </summary>
    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if (!BlockCommands.CheckProtectAndFlags(task, cdb[1]))
        {
            return false;
        }

        ulong lba = BinaryPrimitives.ReadUInt64BigEndian(cdb[2..]);
        ushort boundary = BinaryPrimitives.ReadUInt16BigEndian(cdb[10..]);
        uint count = BinaryPrimitives.ReadUInt16BigEndian(cdb[12..]);
        if (boundary != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 10, -1);
            return false;
        }

        if (!BlockCommands.CheckRange(task, lba, count))
        {
            return false;
        }

        int blockSize = task.Entry.Unit.Backstore.BlockSize;
        if (count > MaxTransferBlocks(blockSize))
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 12, -1);
            return false;
        }

        return BlockCommands.SetRange(task, lba, count, 12, write: true, DataDirection.Write, (cdb[1] & 0x08) != 0);
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        if (task.TransferLength == 0 || !AtomicDataOut.IsWhole(task))
        {
            return default;
        }

        return WriteAtomicAsync(task, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask WriteAtomicAsync(ScsiTask task, CancellationToken cancellationToken)
    {
        LogicalUnit unit = task.Entry.Unit;
        await unit.WriteGate.CloseAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            WriteFlags flags = (task.Flags & BlockCommands.FlagFua) != 0 ? WriteFlags.Fua : WriteFlags.None;
            await unit.Backstore.WriteAsync(task.Lba, task.Buffer.AsMemory(0, task.TransferLength), flags, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            unit.WriteGate.Open();
        }
    }
}
