using System.Buffers.Binary;

namespace SharpSan.Protocol;

/// <summary>
/// The bytes every BHS shares (RFC 7143 §11.2.1): byte 0 (I bit and opcode), byte 1 (flags), TotalAHSLength
/// and DataSegmentLength. The typed PDUs start their Encode here so that each writes all 48 bytes, reserved
/// fields zero (§11.2: reserved fields MUST be 0 when sent), and nothing else of a previous header survives
/// in a pooled buffer.
/// </summary>
internal static class PduFields
{
    /// <summary>Zeroes the BHS and writes bytes 0-7. TotalAHSLength is 0: only a SCSI Command carries AHS, and it sets it.</summary>
    public static Span<byte> Begin(Span<byte> bhs, Opcode opcode, bool immediate, byte flags, int dataSegmentLength)
    {
        var b = bhs[..Bhs.Length];
        b.Clear();
        b[0] = (byte)((byte)opcode | (immediate ? 0x40 : 0));
        b[1] = flags;
        Bhs.WriteDataSegmentLength(b, dataSegmentLength);
        return b;
    }

    /// <summary>The 48-byte BHS at the start of <paramref name="bhs"/>; throws when it is shorter.</summary>
    public static ReadOnlySpan<byte> Header(ReadOnlySpan<byte> bhs)
    {
        if (bhs.Length < Bhs.Length) throw new ArgumentException("a BHS is 48 bytes", nameof(bhs));
        return bhs[..Bhs.Length];
    }

    public static uint U32(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt32BigEndian(b[offset..]);
    public static ushort U16(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt16BigEndian(b[offset..]);
    public static ulong U64(ReadOnlySpan<byte> b, int offset) => BinaryPrimitives.ReadUInt64BigEndian(b[offset..]);
    public static void Put(Span<byte> b, int offset, uint v) => BinaryPrimitives.WriteUInt32BigEndian(b[offset..], v);
    public static void Put(Span<byte> b, int offset, ushort v) => BinaryPrimitives.WriteUInt16BigEndian(b[offset..], v);
    public static void Put(Span<byte> b, int offset, ulong v) => BinaryPrimitives.WriteUInt64BigEndian(b[offset..], v);
}
