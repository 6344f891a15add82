using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>Vital product data pages (SPC-4 7.8, SBC-3 6.6).</summary>
internal static class VpdPages
{
    public const int MaxPageLength = 512;

    public const byte SupportedPages = 0x00;
    public const byte UnitSerialNumber = 0x80;
    public const byte DeviceIdentification = 0x83;
    public const byte BlockLimits = 0xB0;
    public const byte BlockDeviceCharacteristics = 0xB1;
    public const byte LogicalBlockProvisioning = 0xB2;

    /// <summary>IEEE company id LIO uses in NAA designators (so multipath sees familiar ids).</summary>
    public const uint NaaOui = 0x001405;

    /// <summary>tgt's serial number field: SCSI_SN_LEN (36) bytes.</summary>
    public const int TgtSerialLength = 36;

    /// <summary>A disk's pages, ascending as SPC-4 7.8.13 requires.</summary>
    private static ReadOnlySpan<byte> BlockPages => [SupportedPages, UnitSerialNumber, DeviceIdentification,
        ExtendedCopy.ThirdPartyCopyVpdPage.PageCode, BlockLimits, BlockDeviceCharacteristics, LogicalBlockProvisioning];

    /// <summary>A CD/DVD drive's and a controller's: the SBC-3 pages (B0h-B2h) describe block devices
    /// only (MMC-6 defines no VPD page of its own; QEMU's scsi-cd reports these three).</summary>
    private static ReadOnlySpan<byte> OtherPages => [SupportedPages, UnitSerialNumber, DeviceIdentification];

    private static ReadOnlySpan<byte> Pages(LogicalUnit unit) =>
        unit.DeviceType == PeripheralDeviceType.DirectAccessBlock ? BlockPages : OtherPages;

    public static bool IsSupported(LogicalUnit unit, byte page) => Pages(unit).IndexOf(page) >= 0;

    public static int Build(byte page, LogicalUnit unit, ItNexus nexus, Span<byte> data)
    {
        data[0] = (byte)unit.DeviceType; // peripheral qualifier 000b: connected
        data[1] = page;
        int length = page switch
        {
            SupportedPages => BuildSupportedPages(Pages(unit), data[4..]),
            UnitSerialNumber => BuildSerialNumber(unit.Identity, data[4..]),
            DeviceIdentification => BuildDeviceIdentification(unit, nexus, data[4..]),
            BlockLimits => BuildBlockLimits(unit, data[4..]),
            BlockDeviceCharacteristics => BuildBlockDeviceCharacteristics(unit, data[4..]),
            ExtendedCopy.ThirdPartyCopyVpdPage.PageCode => ExtendedCopy.ThirdPartyCopyVpdPage.Build(data[4..]),
            _ => ProvisioningVpd.BuildLogicalBlockProvisioning(unit.Provisioning, data[4..]),
        };
        BinaryPrimitives.WriteUInt16BigEndian(data[2..], (ushort)length);
        return length + 4;
    }

    private static int BuildSupportedPages(ReadOnlySpan<byte> pages, Span<byte> body)
    {
        pages.CopyTo(body);
        return pages.Length;
    }

    /// <summary>SPC-4 7.8.15: the wwn as LIO reports it, or a configured serial number as tgt reports
    /// its "SCSI SN": right-aligned (as SPC-4 asks of this field) in 36 space-padded bytes.</summary>
    private static int BuildSerialNumber(LogicalUnitIdentity identity, Span<byte> body)
    {
        string serial = identity.ProductSerialNumber;
        if (serial.Length == 0)
        {
            return Ascii.Write(body, identity.Wwn);
        }

        int length = Math.Max(TgtSerialLength, serial.Length);
        body[..length].Fill((byte)' ');
        Ascii.Write(body[(length - serial.Length)..length], serial);
        return length;
    }

    /// <summary>SPC-4 7.8.6 Device Identification: NAA 6 (LU), T10 vendor id (LU), relative target port,
    /// target port group and SCSI name string (target port) designators.</summary>
    private static int BuildDeviceIdentification(LogicalUnit unit, ItNexus nexus, Span<byte> body)
    {
        int offset = 0;

        // NAA IEEE Registered Extended (NAA 6, SPC-4 7.8.6.6.5): binary, association LU, type 3.
        body[offset] = 0x01;
        body[offset + 1] = 0x03;
        body[offset + 3] = 16;
        BuildNaa(unit.Identity.Wwn, body.Slice(offset + 4, 16));
        offset += 20;

        // T10 vendor ID based (SPC-4 7.8.6.4): ASCII, association LU, type 1: vendor + serial, or the
        // whole designator configured as tgt's "SCSI ID" (e.g. "IET     00010001").
        body[offset] = 0x02;
        body[offset + 1] = 0x01;
        int idLength;
        if (unit.Identity.T10VendorDesignator.Length > 0)
        {
            idLength = Ascii.Write(body.Slice(offset + 4, 200), unit.Identity.T10VendorDesignator);
        }
        else
        {
            Ascii.Pad(body.Slice(offset + 4, 8), unit.Identity.VendorId);
            idLength = 8 + Ascii.Write(body.Slice(offset + 12, 200), unit.Identity.Wwn);
        }

        body[offset + 3] = (byte)idLength;
        offset += 4 + idLength;

        // Port designators carry the transport's protocol identifier (PIV=1, SPC-4 7.8.6.1): code set
        // binary (1) or UTF-8 (3) in the low nibble.
        byte binaryWithProtocol = (byte)(((byte)nexus.Transport.ProtocolIdentifier << 4) | 0x01);
        byte utf8WithProtocol = (byte)(((byte)nexus.Transport.ProtocolIdentifier << 4) | 0x03);

        // Relative target port (SPC-4 7.8.6.7): PIV=1, binary, target port, type 4.
        body[offset] = binaryWithProtocol;
        body[offset + 1] = 0x94;
        body[offset + 3] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(body[(offset + 6)..], nexus.RelativeTargetPortId);
        offset += 8;

        // Target port group (SPC-4 7.8.6.8): type 5, the addressed port's group (SPC-4 5.15.2.3).
        body[offset] = binaryWithProtocol;
        body[offset + 1] = 0x95;
        body[offset + 3] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(body[(offset + 6)..], unit.Alua.GroupOf(nexus.RelativeTargetPortId).Id);
        offset += 8;

        // SCSI name string (SPC-4 7.8.6.11): UTF-8, target port, type 8; null-terminated, multiple of 4.
        string name = nexus.TargetPortName;
        if (!string.IsNullOrEmpty(name) && name.Length < 200)
        {
            body[offset] = utf8WithProtocol;
            body[offset + 1] = 0x98;
            int written = Ascii.Write(body.Slice(offset + 4, 200), name);
            int padded = (written + 4) & ~3;
            body.Slice(offset + 4 + written, padded - written).Clear();
            body[offset + 3] = (byte)padded;
            offset += 4 + padded;
        }

        return offset;
    }

    /// <summary>NAA 6 designator like LIO's: NAA=6, OUI 00-14-05, then the hex digits of the WWN
    /// (non-hex characters skipped) filling the 100-bit vendor specific identifier.</summary>
    public static void BuildNaa(string wwn, Span<byte> naa)
    {
        naa[..16].Clear();
        naa[0] = (byte)(0x60 | ((NaaOui >> 20) & 0x0F));
        naa[1] = (byte)((NaaOui >> 12) & 0xFF);
        naa[2] = (byte)((NaaOui >> 4) & 0xFF);
        naa[3] = (byte)((NaaOui & 0xF) << 4);
        int nibble = 7; // low nibble of byte 3 is the first vendor specific nibble
        foreach (char c in wwn)
        {
            if (nibble >= 32)
            {
                break;
            }

            int value = HexValue(c);
            if (value < 0)
            {
                continue;
            }

            int index = nibble >> 1;
            naa[index] |= (nibble & 1) == 0 ? (byte)(value << 4) : (byte)value;
            nibble++;
        }
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>SBC-3 6.6.3 Block Limits (page length 3Ch): the UNMAP and WRITE SAME fields from the
    /// unit's provisioning, COMPARE AND WRITE's length and the atomic fields of SBC-4 6.6.4 (bytes 44-63).</summary>
    private static int BuildBlockLimits(LogicalUnit unit, Span<byte> body)
    {
        body[..0x3C].Clear();
        uint blockSize = (uint)unit.Backstore.BlockSize;
        BinaryPrimitives.WriteUInt16BigEndian(body[2..], 1);                                           // OPTIMAL TRANSFER LENGTH GRANULARITY
        BinaryPrimitives.WriteUInt32BigEndian(body[4..], BlockCommands.MaxTransferBytes / blockSize);     // MAXIMUM TRANSFER LENGTH
        BinaryPrimitives.WriteUInt32BigEndian(body[8..], BlockCommands.OptimalTransferBytes / blockSize); // OPTIMAL TRANSFER LENGTH
        body[1] = CompareAndWriteCommand.MaxBlocks;                                                     // MAXIMUM COMPARE AND WRITE LENGTH
        BinaryPrimitives.WriteUInt32BigEndian(body[40..], WriteAtomicCommand.MaxTransferBlocks((int)blockSize)); // MAXIMUM ATOMIC TRANSFER LENGTH
        BinaryPrimitives.WriteUInt32BigEndian(body[44..], WriteAtomicCommand.Alignment);                // ATOMIC ALIGNMENT
        BinaryPrimitives.WriteUInt32BigEndian(body[48..], WriteAtomicCommand.Granularity);              // ATOMIC TRANSFER LENGTH GRANULARITY
        BinaryPrimitives.WriteUInt32BigEndian(body[52..], WriteAtomicCommand.MaxBoundarySize);          // MAXIMUM ATOMIC TRANSFER LENGTH WITH ATOMIC BOUNDARY
        BinaryPrimitives.WriteUInt32BigEndian(body[56..], WriteAtomicCommand.MaxBoundarySize);          // MAXIMUM ATOMIC BOUNDARY SIZE
        ProvisioningVpd.FillBlockLimits(unit.Provisioning, body);                                         // UNMAP, WRITE SAME
        return 0x3C;
    }

    /// <summary>SBC-4 6.6.2 Block Device Characteristics: MEDIUM ROTATION RATE 1 = non-rotating; WABEREQ
    /// (byte 7 bits 7-6) 01b where SANITIZE BLOCK ERASE is served (a read after it completes with GOOD
    /// status: the blocks are deallocated and read as zeros), 00b where it is not; WACEREQ 00b, as no
    /// unit offers CRYPTOGRAPHIC ERASE.</summary>
    private static int BuildBlockDeviceCharacteristics(LogicalUnit unit, Span<byte> body)
    {
        body[..0x3C].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(body, 0x0001);
        if (SanitizeCommand.BlockEraseAvailable(unit))
        {
            body[3] = 0x40;
        }

        return 0x3C;
    }
}
