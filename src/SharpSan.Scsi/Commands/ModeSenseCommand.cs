using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>MODE SENSE (6) (SPC-4 6.11) and MODE SENSE (10) (SPC-4 6.12).</summary>
internal static class ModeSenseCommand
{
    private const int MaxResponse = 8 + 16 + (3 * ModePages.MaxPageLength);

    public static bool Parse6(ScsiTask task) => CheckCdb(task, IsSupported((byte)(task.CdbBuffer[2] & 0x3F)));

    public static bool Parse10(ScsiTask task) => CheckCdb(task, IsSupported((byte)(task.CdbBuffer[2] & 0x3F)));

    private static bool IsSupported(byte page) => page == ModePages.AllPages || ModePages.IsSupported(page);

    /// <summary>
    /// The checks every device type's MODE SENSE (6)/(10) makes before answering (SPC-4 6.11, 6.12):
    /// saved values are not implemented (SPC-4 6.11.1), the page must be one the device has
    /// (<paramref name="pageSupported"/>), subpage 00h or FFh only (no page has subpages); then the
    /// Data-In buffer of the allocation length.
    /// </summary>
    internal static bool CheckCdb(ScsiTask task, bool pageSupported)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if ((PageControl)(cdb[2] >> 6) == PageControl.Saved)
        {
            task.Fail(SenseReason.SavingParametersNotSupported, 2, 7);
            return false;
        }

        if (!pageSupported)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 2, 5);
            return false;
        }

        if (cdb[3] != 0x00 && cdb[3] != 0xFF)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 3, 7);
            return false;
        }

        int allocationLength = cdb[0] == (byte)ScsiOpcode.ModeSense10 ? BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]) : cdb[4];
        return DataIn.Allocate(task, allocationLength);
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        bool ten = cdb[0] == (byte)ScsiOpcode.ModeSense10;
        bool dbd = (cdb[1] & 0x08) != 0;
        bool longLba = ten && (cdb[1] & 0x10) != 0;
        PageControl control = (PageControl)(cdb[2] >> 6);
        byte page = (byte)(cdb[2] & 0x3F);
        LogicalUnit unit = task.Entry.Unit;

        Span<byte> data = stackalloc byte[MaxResponse];
        data.Clear();
        int header = ten ? 8 : 4;
        int offset = header;
        int descriptorLength = dbd ? 0 : (longLba ? 16 : 8);
        if (descriptorLength != 0)
        {
            WriteBlockDescriptor(unit.Backstore, longLba, data.Slice(offset, descriptorLength));
            offset += descriptorLength;
        }

        if (page == ModePages.AllPages)
        {
            foreach (byte code in ModePages.Supported)
            {
                offset += ModePages.Build(code, control, unit, data[offset..]);
            }
        }
        else
        {
            offset += ModePages.Build(page, control, unit, data[offset..]);
        }

        byte deviceSpecific = ModePages.DeviceSpecificParameter(task.Entry);
        if (ten)
        {
            BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)(offset - 2)); // MODE DATA LENGTH
            data[3] = deviceSpecific;
            data[4] = (byte)(longLba ? 0x01 : 0x00);                          // LONGLBA
            BinaryPrimitives.WriteUInt16BigEndian(data[6..], (ushort)descriptorLength);
        }
        else
        {
            data[0] = (byte)(offset - 1);
            data[2] = deviceSpecific;
            data[3] = (byte)descriptorLength;
        }

        DataIn.Respond(task, data[..offset]);
        return default;
    }

    /// <summary>SBC-3 6.4.2: short (8-byte) or long LBA (16-byte) block descriptor.</summary>
    private static void WriteBlockDescriptor(IBackstore backstore, bool longLba, Span<byte> descriptor)
    {
        if (longLba)
        {
            BinaryPrimitives.WriteUInt64BigEndian(descriptor, backstore.BlockCount);
            BinaryPrimitives.WriteUInt32BigEndian(descriptor[12..], (uint)backstore.BlockSize);
            return;
        }

        BinaryPrimitives.WriteUInt32BigEndian(descriptor, backstore.BlockCount > uint.MaxValue ? uint.MaxValue : (uint)backstore.BlockCount);
        uint blockLength = (uint)backstore.BlockSize;
        descriptor[5] = (byte)(blockLength >> 16);
        descriptor[6] = (byte)(blockLength >> 8);
        descriptor[7] = (byte)blockLength;
    }
}
