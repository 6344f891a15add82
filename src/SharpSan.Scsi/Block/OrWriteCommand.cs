using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace SharpSan.Scsi;

/// <summary>
/// ORWRITE(16) (SBC-3 5.13): reads the blocks at the LBA, ORs the Data-Out buffer into them and writes
/// the result, as one operation no other writer of the unit interleaves with (the unit's <see cref="AtomicWriteGate"/>, as for COMPARE AND WRITE). ORWRITE(16) carries no BMOP or ORWgeneration fields: those belong to
/// ORWRITE(32), which this device server does not implement.
/// </summary>
internal static class OrWriteCommand
{
    /// <summary>
    /// CDB: ORPROTECT (byte 1 bits 7-5) must be 0 (no protection information: INVALID FIELD IN CDB, as
    /// libiscsi's SCSI.OrWrite.Protect expects), DPO and FUA honoured, FUA_NV ignored; LBA bytes 2-9,
    /// TRANSFER LENGTH bytes 10-13, limited like a WRITE by MAXIMUM TRANSFER LENGTH.
    /// </summary>
    public static bool Parse(ScsiTask task) => BlockCommands.Parse16(task, write: true);

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        if (task.TransferLength == 0 || !AtomicDataOut.IsWhole(task))
        {
            return default;
        }

        return OrWriteAsync(task, cancellationToken);
    }

    /// <summary>target |= source, a vector at a time.</summary>
    internal static void OrInto(Span<byte> target, ReadOnlySpan<byte> source)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= target.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                (new Vector<byte>(target[i..]) | new Vector<byte>(source[i..])).CopyTo(target[i..]);
            }
        }

        for (; i < target.Length; i++)
        {
            target[i] |= source[i];
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask OrWriteAsync(ScsiTask task, CancellationToken cancellationToken)
    {
        LogicalUnit unit = task.Entry.Unit;
        IBackstore backstore = unit.Backstore;
        int bytes = task.TransferLength;
        byte[] medium = ArrayPool<byte>.Shared.Rent(bytes);
        await unit.WriteGate.CloseAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await backstore.ReadAsync(task.Lba, medium.AsMemory(0, bytes), cancellationToken).ConfigureAwait(false);
            OrInto(medium.AsSpan(0, bytes), task.Buffer.AsSpan(0, bytes));
            WriteFlags flags = (task.Flags & BlockCommands.FlagFua) != 0 ? WriteFlags.Fua : WriteFlags.None;
            await backstore.WriteAsync(task.Lba, medium.AsMemory(0, bytes), flags, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            unit.WriteGate.Open();
            ArrayPool<byte>.Shared.Return(medium);
        }
    }
}
