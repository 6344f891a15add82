using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>READ CAPACITY (10) (SBC-3 5.15) and (16) (SBC-3 5.16, SERVICE ACTION IN(16) 10h).</summary>
internal static class ReadCapacityCommand
{
    public const byte ServiceActionReadCapacity16 = 0x10;

    public static bool Parse10(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if ((cdb[8] & 0x01) == 0 && BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]) != 0)
        {
            // SBC-3 5.15: LOGICAL BLOCK ADDRESS must be 0 when PMI is 0.
            task.Fail(SenseReason.InvalidFieldInCdb, 2, 7);
            return false;
        }

        return DataIn.Allocate(task, 8);
    }

    public static ValueTask Execute10(ScsiTask task, CancellationToken cancellationToken)
    {
        IBackstore backstore = task.Entry.Unit.Backstore;
        Span<byte> data = stackalloc byte[8];
        ulong last = backstore.BlockCount == 0 ? 0 : backstore.BlockCount - 1;
        BinaryPrimitives.WriteUInt32BigEndian(data, last > uint.MaxValue ? uint.MaxValue : (uint)last);
        BinaryPrimitives.WriteUInt32BigEndian(data[4..], (uint)backstore.BlockSize);
        DataIn.Respond(task, data);
        return default;
    }

    /// <summary>READ CAPACITY(16): SERVICE ACTION IN(16), service action 10h (the command set routes by service action).</summary>
    public static bool Parse16(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if ((cdb[14] & 0x01) == 0 && BinaryPrimitives.ReadUInt64BigEndian(cdb[2..]) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 2, 7);
            return false;
        }

        return DataIn.Allocate(task, (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]), int.MaxValue));
    }

    public static ValueTask Execute16(ScsiTask task, CancellationToken cancellationToken)
    {
        IBackstore backstore = task.Entry.Unit.Backstore;
        Span<byte> data = stackalloc byte[32];
        data.Clear();
        BinaryPrimitives.WriteUInt64BigEndian(data, backstore.BlockCount == 0 ? 0 : backstore.BlockCount - 1);
        BinaryPrimitives.WriteUInt32BigEndian(data[8..], (uint)backstore.BlockSize);
        // Byte 12: P_TYPE/PROT_EN 0; byte 13: LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT 0;
        // byte 14: LBPME and LBPRZ from the unit's provisioning (SBC-3 5.16.2), LOWEST ALIGNED LBA 0.
        LogicalBlockProvisioning provisioning = task.Entry.Unit.Provisioning;
        data[14] = (byte)((provisioning.IsThin ? 0x80 : 0) | (provisioning.ReadsZero ? 0x40 : 0));
        DataIn.Respond(task, data);
        return default;
    }
}
