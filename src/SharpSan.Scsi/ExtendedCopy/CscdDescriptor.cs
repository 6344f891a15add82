using System.Buffers.Binary;

namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>
/// One CSCD (copy source or copy destination) descriptor of an EXTENDED COPY parameter list (SPC-4
/// 6.4.5): the identification descriptor (E4h) names a logical unit by one of its VPD page 83h
/// designators (SPC-4 6.4.5.2); the block device type specific parameters give its block length.
/// </summary>
/// <param name="Offset">Where the descriptor starts in the parameter list (for field pointers).</param>
internal readonly record struct CscdDescriptor(int Offset, byte PeripheralDeviceType, byte CodeSet, byte DesignatorType, byte[] Designator, uint DiskBlockLength)
{
    /// <summary>Identification CSCD descriptor (SPC-4 6.4.5.2).</summary>
    public const byte IdentificationTypeCode = 0xE4;

    /// <summary>Length of every CSCD descriptor but the IPv6 (EAh) and IP copy service (EBh) ones.</summary>
    public const int Length = 32;

    /// <summary>Length of the IPv6 and IP copy service CSCD descriptors (SPC-4 6.4.5.8, 6.4.5.9).</summary>
    public const int LongLength = 64;

    /// <summary>Room for the designator: bytes 8..27 (SPC-4 6.4.5.2, table 118).</summary>
    public const int MaxDesignatorLength = 20;

    /// <summary>SPC-4 7.8.6.1 DESIGNATOR TYPE values a copy target can be named by.</summary>
    public const byte DesignatorT10VendorId = 0x1;
    public const byte DesignatorNaa = 0x3;

    /// <summary>The length of a CSCD descriptor from its type code (SPC-4 table 112); the CSCD type codes
    /// are E0h-FFh, anything lower is not one (and is reported as an unsupported type code).</summary>
    public static int LengthOf(byte typeCode) => typeCode is 0xEA or 0xEB ? LongLength : Length;

    /// <summary>
    /// Decodes the identification descriptor at <paramref name="offset"/> of <paramref name="list"/>.
    /// LU ID TYPE, NUL (obsolete in SPC-4, so ignored as libiscsi expects of an SPC-4 copy manager) and
    /// RELATIVE INITIATOR PORT IDENTIFIER do not matter to a copy manager that reaches its copy targets
    /// inside the target. Returns false with the field in error.
    /// </summary>
    public static bool TryParseIdentification(ReadOnlySpan<byte> list, int offset, out CscdDescriptor descriptor, out CopyParameterError error)
    {
        ReadOnlySpan<byte> d = list.Slice(offset, Length);
        descriptor = default;
        byte deviceType = (byte)(d[1] & 0x1F);
        if (deviceType != (byte)SharpSan.Scsi.PeripheralDeviceType.DirectAccessBlock)
        {
            // Only block device copy targets: the type specific parameters are defined per device type.
            error = new(SenseReason.InvalidFieldInParameterList, offset + 1, 4);
            return false;
        }

        if ((d[5] & 0x30) != 0)
        {
            // SPC-4 6.4.5.2: the designator names the logical unit (ASSOCIATION 00b).
            error = new(SenseReason.InvalidFieldInParameterList, offset + 5, 5);
            return false;
        }

        int length = d[7];
        if (length > MaxDesignatorLength)
        {
            error = new(SenseReason.InvalidFieldInParameterList, offset + 7, -1);
            return false;
        }

        uint blockLength = (uint)((d[29] << 16) | BinaryPrimitives.ReadUInt16BigEndian(d[30..]));
        descriptor = new CscdDescriptor(offset, deviceType, (byte)(d[4] & 0x0F), (byte)(d[5] & 0x0F), d.Slice(8, length).ToArray(), blockLength);
        error = default;
        return true;
    }
}
