using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>INQUIRY (SPC-4 6.6): standard data and the vital product data pages of <see cref="VpdPages"/>.</summary>
internal static class InquiryCommand
{
    /// <summary>Standard INQUIRY data length: through the last version descriptor plus the reserved
    /// bytes up to byte 95 (SPC-4 6.6.2, table 148).</summary>
    public const int StandardLength = 96;

    /// <summary>Peripheral qualifier 011b / device type 1Fh: no LU at this LUN (SPC-4 6.6.2).</summary>
    public const byte NoLogicalUnit = 0x7F;

    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if ((cdb[1] & 0x02) != 0)
        {
            // CmdDt is obsolete (SPC-3); an SPC-4 device server rejects it.
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 1);
            return false;
        }

        if ((cdb[1] & 0x01) == 0 && cdb[2] != 0)
        {
            // SPC-4 6.6.1: PAGE CODE must be 0 when EVPD is 0.
            task.Fail(SenseReason.InvalidFieldInCdb, 2, 7);
            return false;
        }

        if ((cdb[1] & 0x01) != 0 && task.Entry.Unit is not null && !VpdPages.IsSupported(task.Entry.Unit, cdb[2]))
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 2, 7);
            return false;
        }

        return DataIn.Allocate(task, BinaryPrimitives.ReadUInt16BigEndian(cdb[3..]));
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        Span<byte> data = stackalloc byte[VpdPages.MaxPageLength];
        data.Clear();
        int length;
        if ((cdb[1] & 0x01) != 0)
        {
            length = task.Entry.Unit is null
                ? UnmappedPage(data, cdb[2])
                : VpdPages.Build(cdb[2], task.Entry.Unit, task.Nexus, data);
        }
        else
        {
            length = BuildStandard(task.Entry.Unit, task.Nexus.Transport, data);
            if (task.Entry.Unit is { DeviceType: PeripheralDeviceType.DirectAccessBlock } unit)
            {
                // TPGS (SPC-4 6.6.2): the access type of the addressed port's target port group.
                data[5] = (byte)((data[5] & ~0x30) | ((byte)unit.Alua.GroupOf(task.Nexus.RelativeTargetPortId).Settings.AccessType << 4));
            }
        }

        DataIn.Respond(task, data[..length]);
        return default;
    }

    private static int UnmappedPage(Span<byte> data, byte pageCode)
    {
        data[0] = NoLogicalUnit;
        data[1] = pageCode;
        return 4;
    }

    /// <summary>SPC-4 6.6.2 standard INQUIRY data.</summary>
    public static int BuildStandard(LogicalUnit? unit, ScsiTransport transport, Span<byte> data)
    {
        LogicalUnitIdentity? identity = unit?.Identity;
        PeripheralDeviceType type = unit?.DeviceType ?? PeripheralDeviceType.DirectAccessBlock;
        data[..StandardLength].Clear();
        data[0] = unit is null ? NoLogicalUnit : (byte)type; // qualifier 000b: connected
        data[1] = unit is { Removable: true } ? (byte)0x80 : (byte)0x00; // RMB
        data[2] = 0x06;                    // VERSION: SPC-4
        data[3] = 0x12;                    // HISUP=1, RESPONSE DATA FORMAT=2
        data[4] = StandardLength - 5;      // ADDITIONAL LENGTH
        // TPGS: a disk's is its port's target port group's access type, set by Execute (LIO's default
        // group: 11b, implicit and explicit); a CD/DVD drive and a controller report none, as tgt and QEMU
        // do (Linux's ALUA handler then leaves them alone).
        data[5] = 0x00;
        if (unit is not null && type == PeripheralDeviceType.DirectAccessBlock)
        {
            data[5] |= 0x08; // 3PC: a disk's copy manager serves EXTENDED COPY (SPC-4 6.6.2, 6.4)
        }

        data[6] = 0x00;
        data[7] = 0x02;                    // CMDQUE=1
        Ascii.Pad(data.Slice(8, 8), identity?.VendorId);
        Ascii.Pad(data.Slice(16, 16), identity?.ProductId);
        Ascii.Pad(data.Slice(32, 4), identity?.Revision);

        // Version descriptors (SPC-4 6.6.2 table 150): SAM-5, SPC-4, the device type's command set
        // standard (SBC-3, MMC-6 or SCC-2), and the transport's.
        BinaryPrimitives.WriteUInt16BigEndian(data[58..], 0x00A0);
        BinaryPrimitives.WriteUInt16BigEndian(data[60..], 0x0460);
        BinaryPrimitives.WriteUInt16BigEndian(data[62..], CommandSetVersion(type));
        BinaryPrimitives.WriteUInt16BigEndian(data[64..], transport.VersionDescriptor);
        return StandardLength;
    }

    /// <summary>"No version claimed" descriptors (SPC-4 table 150): SBC-3 04C0h, MMC-6 04E0h, SCC-2 01E0h.</summary>
    private static ushort CommandSetVersion(PeripheralDeviceType type) => type switch
    {
        PeripheralDeviceType.CdDvd => 0x04E0,
        PeripheralDeviceType.StorageArrayController => 0x01E0,
        _ => 0x04C0,
    };
}
