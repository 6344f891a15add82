using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// GET LBA STATUS (SBC-3 5.4; SERVICE ACTION IN(16), service action 12h): the provisioning status of
/// the blocks from STARTING LOGICAL BLOCK ADDRESS, as consecutive LBA status descriptors of mapped and
/// deallocated extents. A fully provisioned unit has every block mapped (SBC-3 4.7.2).
/// </summary>
internal static class GetLbaStatusCommand
{
    public const byte ServiceActionGetLbaStatus = 0x12;

    /// <summary>Descriptors returned at most, whatever the allocation length: enough for a useful map
    /// while keeping the response (and the fabric's buffer) small.</summary>
    public const int MaxDescriptors = 64;

    private const int HeaderLength = 8;
    private const int DescriptorLength = 16;

    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        ulong lba = BinaryPrimitives.ReadUInt64BigEndian(cdb[2..]);
        if (lba >= task.Entry.Unit.Backstore.BlockCount)
        {
            // SBC-3 5.4.1: a STARTING LOGICAL BLOCK ADDRESS beyond the last LBA.
            task.Fail(SenseReason.LogicalBlockAddressOutOfRange);
            return false;
        }

        uint allocation = BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]);
        task.Lba = lba;
        return DataIn.Allocate(task, (int)Math.Min(allocation, HeaderLength + MaxDescriptors * DescriptorLength));
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        LogicalUnit unit = task.Entry.Unit;
        IBackstore backstore = unit.Backstore;
        ulong capacity = backstore.BlockCount;
        bool thin = unit.Provisioning.IsThin;

        // As many descriptors as the allocation length holds (at least one, so that PARAMETER DATA
        // LENGTH tells a short allocation how much there is).
        int wanted = Math.Clamp((task.TransferLength - HeaderLength) / DescriptorLength, 1, MaxDescriptors);
        Span<byte> data = stackalloc byte[HeaderLength + MaxDescriptors * DescriptorLength];
        data[..HeaderLength].Clear();
        int count = 0;
        ulong lba = task.Lba;
        while (count < wanted && lba < capacity)
        {
            ulong remaining = Math.Min(capacity - lba, uint.MaxValue);
            LbaStatusExtent extent = thin ? backstore.GetLbaStatus(lba, remaining) : new LbaStatusExtent(ProvisioningStatus.Mapped, remaining);
            ulong blocks = Math.Clamp(extent.BlockCount, 1, remaining);

            Span<byte> descriptor = data.Slice(HeaderLength + count * DescriptorLength, DescriptorLength);
            descriptor.Clear();
            BinaryPrimitives.WriteUInt64BigEndian(descriptor, lba);
            BinaryPrimitives.WriteUInt32BigEndian(descriptor[8..], (uint)blocks);
            descriptor[12] = (byte)((byte)extent.Status & 0x0F);
            count++;
            lba += blocks;
        }

        int length = HeaderLength + count * DescriptorLength;
        // PARAMETER DATA LENGTH: the bytes that follow it (SBC-3 5.4.2).
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)(length - 4));
        DataIn.Respond(task, data[..length]);
        return default;
    }
}
