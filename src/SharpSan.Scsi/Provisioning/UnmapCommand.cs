using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace SharpSan.Scsi;

/// <summary>
/// UNMAP (SBC-3 5.28): deallocates the ranges listed in the parameter list. The whole list is checked
/// before anything is deallocated, so a bad descriptor leaves the medium as it was.
/// </summary>
internal static class UnmapCommand
{
    /// <summary>Parameter list header (SBC-3 5.28.2, table 95).</summary>
    public const int HeaderLength = 8;

    /// <summary>One UNMAP block descriptor (SBC-3 5.28.3, table 96).</summary>
    public const int DescriptorLength = 16;

    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        LogicalBlockProvisioning provisioning = task.Entry.Unit.Provisioning;
        if (!provisioning.Unmap)
        {
            // LBPU=0 (emulate_tpu=0): the command is not supported here, as LIO answers it.
            task.Fail(SenseReason.InvalidCommandOperationCode);
            return false;
        }

        if ((cdb[1] & 0x01) != 0)
        {
            // ANCHOR: the anchored state is not supported (ANC_SUP=0, SBC-3 6.6.4).
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 0);
            return false;
        }

        if ((cdb[1] & 0xFE) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 1, -1);
            return false;
        }

        int parameterListLength = BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);
        if (parameterListLength == 0)
        {
            // SBC-3 5.28.1: zero is not an error; nothing is transferred or unmapped.
            return true;
        }

        if (parameterListLength < HeaderLength)
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return false;
        }

        task.Direction = DataDirection.Write;
        task.TransferLength = parameterListLength;
        task.Flags = BlockCommands.FlagWrite;
        return true;
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        if (task.TransferLength == 0)
        {
            return default;
        }

        int length = Math.Min(task.DataLength, task.TransferLength);
        if (task.Buffer is null || length < HeaderLength)
        {
            task.Fail(SenseReason.ParameterListLengthError);
            return default;
        }

        if (!Validate(task, task.Buffer.AsSpan(0, length), out int descriptors))
        {
            return default;
        }

        return descriptors == 0 ? default : DeallocateAsync(task, descriptors, cancellationToken);
    }

    /// <summary>
    /// Checks the parameter list (SBC-3 5.28.1): the descriptors that fit both the UNMAP BLOCK
    /// DESCRIPTOR DATA LENGTH and the data received (a partial last descriptor is ignored), no more of
    /// them than MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT, no more blocks in all than MAXIMUM UNMAP LBA
    /// COUNT, each range within the capacity.
    /// </summary>
    internal static bool Validate(ScsiTask task, ReadOnlySpan<byte> list, out int descriptors)
    {
        LogicalBlockProvisioning provisioning = task.Entry.Unit.Provisioning;
        ulong capacity = task.Entry.Unit.Backstore.BlockCount;
        int descriptorBytes = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(list[2..]), list.Length - HeaderLength);
        descriptors = descriptorBytes / DescriptorLength;
        if ((uint)descriptors > provisioning.MaximumUnmapBlockDescriptorCount)
        {
            task.Fail(SenseReason.InvalidFieldInParameterList, 2, -1, inCdb: false);
            return false;
        }

        ulong total = 0;
        for (int i = 0; i < descriptors; i++)
        {
            int offset = HeaderLength + i * DescriptorLength;
            ulong lba = BinaryPrimitives.ReadUInt64BigEndian(list[offset..]);
            uint count = BinaryPrimitives.ReadUInt32BigEndian(list[(offset + 8)..]);
            total += count;
            if (total > provisioning.MaximumUnmapLbaCount)
            {
                task.Fail(SenseReason.InvalidFieldInParameterList, offset + 8, -1, inCdb: false);
                return false;
            }

            // SBC-3 5.28.1: a range past the last LBA is LOGICAL BLOCK ADDRESS OUT OF RANGE, even an
            // empty one starting beyond the capacity.
            if (lba > capacity || count > capacity - lba)
            {
                task.Fail(SenseReason.LogicalBlockAddressOutOfRange);
                return false;
            }
        }

        return true;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask DeallocateAsync(ScsiTask task, int descriptors, CancellationToken cancellationToken)
    {
        IBackstore backstore = task.Entry.Unit.Backstore;
        byte[] list = task.Buffer!;
        for (int i = 0; i < descriptors; i++)
        {
            int offset = HeaderLength + i * DescriptorLength;
            ulong lba = BinaryPrimitives.ReadUInt64BigEndian(list.AsSpan(offset));
            uint count = BinaryPrimitives.ReadUInt32BigEndian(list.AsSpan(offset + 8));
            if (count != 0)
            {
                await backstore.DeallocateAsync(lba, count, WriteFlags.None, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
