using System.Buffers.Binary;

namespace SharpSan.Protocol;

/// <summary>
/// The Additional Header Segments of a SCSI Command (RFC 7143 §11.2.2): an Extended CDB AHS carrying the
/// CDB bytes beyond the 16 the BHS holds (§11.2.2.3), and a Bidirectional Read Expected Data Transfer
/// Length AHS (§11.2.2.4). A ref struct: decoded, <see cref="ExtendedCdb"/> points into the received AHS
/// bytes (no copy).
/// </summary>
/// <remarks>
/// Each AHS: AHSLength (bytes 0-1, big-endian: the bytes after AHSType, so the reserved byte 3 counts and
/// the padding does not), AHSType (byte 2), AHS-specific bytes, zero padding to a 4-byte boundary.
/// Extended CDB: AHSLength = CDB length - 15, byte 3 reserved, then CDB bytes 16.. (used only for a CDB
/// longer than 16 bytes). Bidirectional read length: AHSLength = 5, byte 3 reserved, bytes 4-7 the length.
/// </remarks>
public readonly ref struct ScsiCommandAhs
{
    /// <summary>The bytes an AHS header takes before its specific data (AHSLength and AHSType).</summary>
    private const int HeaderLength = 3;

    /// <summary>AHSLength of the bidirectional read length AHS: the reserved byte and 4 length bytes.</summary>
    private const int BidirectionalAhsLength = 5;

    /// <summary>The most AHS bytes a PDU can carry: TotalAHSLength is one byte counting 4-byte words (§11.2.1.4).</summary>
    public const int MaxTotalLength = 255 * 4;

    /// <summary>The CDB bytes beyond the first 16 (empty without an Extended CDB AHS).</summary>
    public ReadOnlySpan<byte> ExtendedCdb { get; init; }

    /// <summary>True when a Bidirectional Read Expected Data Transfer Length AHS was present.</summary>
    public bool HasBidirectionalReadLength { get; init; }

    /// <summary>The Data-In length of a bidirectional command (§11.2.2.4).</summary>
    public uint BidirectionalReadExpectedDataTransferLength { get; init; }

    /// <summary>
    /// Parses the AHS bytes of a SCSI Command (TotalAHSLength * 4 bytes). Returns false, with the reason in
    /// <paramref name="problem"/>, when they are malformed: an AHS running past the end, an AHS code we do not
    /// know (reserved or an extension: the PDU cannot be understood without it), an Extended CDB AHS for a
    /// CDB of 16 bytes or less (§11.2.2.3: it MUST NOT be used then), a bidirectional length AHS whose
    /// AHSLength is not 5, or either one twice. A target answers such a PDU with a Reject (§11.17.1,
    /// Invalid PDU field). Reserved bits and bytes are ignored, as reserved fields are on receipt.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> ahs, out ScsiCommandAhs result, out string? problem)
    {
        result = default;
        problem = null;
        ReadOnlySpan<byte> extendedCdb = default;
        bool hasExtendedCdb = false, hasBidirectional = false;
        uint bidirectionalLength = 0;
        int offset = 0;
        while (offset < ahs.Length)
        {
            if (ahs.Length - offset < HeaderLength + 1)
            {
                problem = $"{ahs.Length - offset} bytes left after the last AHS, too few for another";
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(ahs[offset..]);
            var type = (AhsType)(ahs[offset + 2] & 0x3F);
            int padded = (HeaderLength + length + 3) & ~3;
            if (length == 0 || padded > ahs.Length - offset)
            {
                problem = $"AHS at offset {offset}: AHSLength {length} does not fit the {ahs.Length - offset} AHS bytes left";
                return false;
            }

            ReadOnlySpan<byte> specific = ahs.Slice(offset + HeaderLength, length);
            switch (type)
            {
                case AhsType.ExtendedCdb:
                    if (hasExtendedCdb)
                    {
                        problem = "two Extended CDB AHS";
                        return false;
                    }

                    if (length < 2)
                    {
                        // §11.2.2.3: AHSLength = CDBLength - 15, and the AHS is used only for CDBs over 16 bytes.
                        problem = $"Extended CDB AHS with AHSLength {length} (a CDB of {length + 15} bytes)";
                        return false;
                    }

                    hasExtendedCdb = true;
                    extendedCdb = specific[1..]; // byte 3 is reserved
                    break;
                case AhsType.BidirectionalReadExpectedDataTransferLength:
                    if (hasBidirectional)
                    {
                        problem = "two Bidirectional Read Expected Data Transfer Length AHS";
                        return false;
                    }

                    if (length != BidirectionalAhsLength)
                    {
                        problem = $"Bidirectional Read Expected Data Transfer Length AHS with AHSLength {length} (5 expected)";
                        return false;
                    }

                    hasBidirectional = true;
                    bidirectionalLength = BinaryPrimitives.ReadUInt32BigEndian(specific[1..]);
                    break;
                default:
                    problem = $"AHS type {(byte)type} is not one this target understands";
                    return false;
            }

            offset += padded;
        }

        result = new ScsiCommandAhs
        {
            ExtendedCdb = extendedCdb,
            HasBidirectionalReadLength = hasBidirectional,
            BidirectionalReadExpectedDataTransferLength = bidirectionalLength,
        };
        return true;
    }

    /// <summary>The AHS bytes a SCSI Command with a CDB of <paramref name="cdbLength"/> bytes (and a
    /// bidirectional read length when asked) carries: a multiple of 4, 0 for a CDB of 16 bytes or less.</summary>
    public static int EncodedLength(int cdbLength, bool bidirectional)
    {
        int length = cdbLength > 16 ? (HeaderLength + (cdbLength - 15) + 3) & ~3 : 0;
        return length + (bidirectional ? 8 : 0);
    }

    /// <summary>Writes the Extended CDB AHS for <paramref name="cdb"/> bytes 16.. (when it is longer than 16
    /// bytes) and the bidirectional read length AHS (when given), padding zeroed. Returns the bytes written,
    /// <see cref="EncodedLength"/>.</summary>
    public static int Encode(Span<byte> ahs, ReadOnlySpan<byte> cdb, uint? bidirectionalReadLength)
    {
        int total = EncodedLength(cdb.Length, bidirectionalReadLength.HasValue);
        if (total > MaxTotalLength) throw new ArgumentException($"a {cdb.Length}-byte CDB does not fit in {MaxTotalLength} AHS bytes", nameof(cdb));
        Span<byte> a = ahs[..total];
        a.Clear();
        int offset = 0;
        if (cdb.Length > 16)
        {
            BinaryPrimitives.WriteUInt16BigEndian(a, (ushort)(cdb.Length - 15));
            a[2] = (byte)AhsType.ExtendedCdb;
            cdb[16..].CopyTo(a[4..]);
            offset = (HeaderLength + (cdb.Length - 15) + 3) & ~3;
        }

        if (bidirectionalReadLength is uint readLength)
        {
            BinaryPrimitives.WriteUInt16BigEndian(a[offset..], BidirectionalAhsLength);
            a[offset + 2] = (byte)AhsType.BidirectionalReadExpectedDataTransferLength;
            BinaryPrimitives.WriteUInt32BigEndian(a[(offset + 4)..], readLength);
        }

        return total;
    }
}
