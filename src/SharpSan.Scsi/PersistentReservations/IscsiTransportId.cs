using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SharpSan.Scsi;

/// <summary>
/// iSCSI TransportIDs (SPC-4 7.6.4.6): FORMAT CODE 00b names an initiator device by its iSCSI name,
/// 01b an initiator port by name, ",i,0x" and ISID. Both are a 4-byte header (format and protocol
/// identifier 5h, ADDITIONAL LENGTH) and a null-terminated UTF-8 string padded with nulls to a multiple
/// of four bytes, at least 20. Used by READ FULL STATUS, SPEC_I_PT and REGISTER AND MOVE.
/// </summary>
internal static class IscsiTransportId
{
    public const byte FormatDevice = 0x00;
    public const byte FormatPort = 0x01;

    /// <summary>Smallest ADDITIONAL LENGTH SPC-4 7.6.4.6 allows.</summary>
    private const int MinimumAdditionalLength = 20;

    /// <summary>Largest iSCSI name (RFC 7143 §4.2.7.1: 223 bytes) plus ",i,0x", 12 hex digits and a null.</summary>
    public const int MaxLength = 4 + 244;

    /// <summary>Bytes <see cref="Write"/> produces for <paramref name="registration"/>.</summary>
    public static int LengthOf(Registration registration) => 4 + Padded(Encoding.UTF8.GetByteCount(registration.InitiatorPortName) + 1);

    /// <summary>Writes the TransportID of <paramref name="registration"/>'s initiator: format 01b when
    /// it names a port (an ISID), 00b for an initiator device. Returns its length.</summary>
    public static int Write(Registration registration, Span<byte> destination)
    {
        int length = LengthOf(registration);
        Span<byte> id = destination[..length];
        id.Clear();
        id[0] = (byte)((registration.Isid is null ? FormatDevice : FormatPort) << 6 | (byte)ProtocolIdentifier.Iscsi);
        BinaryPrimitives.WriteUInt16BigEndian(id[2..], (ushort)(length - 4));
        Encoding.UTF8.GetBytes(registration.InitiatorPortName, id[4..]);
        return length;
    }

    /// <summary>
    /// Reads one TransportID at the start of <paramref name="data"/>. Returns its length, or -1 with
    /// <paramref name="errorByte"/>/<paramref name="errorBit"/> pointing at the field in error (relative
    /// to the TransportID), or -2 when it does not fit in <paramref name="data"/>.
    /// </summary>
    public static int Parse(ReadOnlySpan<byte> data, out string name, out string? isid, out int errorByte, out int errorBit)
    {
        name = "";
        isid = null;
        errorByte = 0;
        errorBit = -1;
        if (data.Length < 4)
        {
            return -2;
        }

        if ((data[0] & 0x0F) != (byte)ProtocolIdentifier.Iscsi)
        {
            errorBit = 3; // PROTOCOL IDENTIFIER: only iSCSI initiators reach this target
            return -1;
        }

        int format = data[0] >> 6;
        if (format is not (FormatDevice or FormatPort) || (data[0] & 0x30) != 0)
        {
            errorBit = 7;
            return -1;
        }

        int additional = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if (4 + additional > data.Length)
        {
            return -2;
        }

        ReadOnlySpan<byte> text = data.Slice(4, additional);
        int end = text.IndexOf((byte)0);
        if (additional < MinimumAdditionalLength || additional % 4 != 0 || end <= 0)
        {
            errorByte = 2;
            return -1;
        }

        string value;
        try
        {
            value = new UTF8Encoding(false, true).GetString(text[..end]);
        }
        catch (DecoderFallbackException)
        {
            errorByte = 4;
            return -1;
        }

        int separator = value.IndexOf(Registration.IsidSeparator, StringComparison.OrdinalIgnoreCase);
        if (format == FormatDevice)
        {
            if (separator >= 0)
            {
                errorByte = 4;
                return -1;
            }

            name = value;
            return 4 + additional;
        }

        if (separator <= 0 ||
            !ulong.TryParse(value.AsSpan(separator + Registration.IsidSeparator.Length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong isidValue) ||
            value.Length - separator - Registration.IsidSeparator.Length > 12)
        {
            errorByte = 4;
            return -1;
        }

        name = value[..separator];
        isid = isidValue.ToString("x12", CultureInfo.InvariantCulture);
        return 4 + additional;
    }

    private static int Padded(int length) => Math.Max(MinimumAdditionalLength, (length + 3) & ~3);
}
