using System.Buffers.Binary;

namespace SharpSan.Protocol;

/// <summary>
/// Read-only view of the fields every Basic Header Segment has in the same place (RFC 7143 §11.2.1): the
/// opcode and I bit, the flags byte, TotalAHSLength, DataSegmentLength, the LUN bytes and the Initiator Task
/// Tag. Enough to dispatch a received PDU; the fields that depend on the opcode (bytes 20-47 mean different
/// things in different PDUs) are read and written only through the typed PDUs (ScsiCommandPdu, R2tPdu...).
/// </summary>
public readonly ref struct Bhs
{
    public const int Length = 48;
    /// <summary>The reserved tag value 0xffffffff (ITT or TTT "none", §11.2.1).</summary>
    public const uint ReservedTag = 0xFFFFFFFF;

    private readonly ReadOnlySpan<byte> _b;

    public Bhs(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Length) throw new ArgumentException("a BHS is 48 bytes", nameof(bytes));
        _b = bytes[..Length];
    }

    public ReadOnlySpan<byte> Bytes => _b;
    public Opcode Opcode => (Opcode)(_b[0] & 0x3F);
    /// <summary>I bit: immediate delivery (initiator PDUs).</summary>
    public bool Immediate => (_b[0] & 0x40) != 0;
    /// <summary>Byte 1, whose bits are opcode specific (F, R, W, ATTR, T, C, CSG, NSG...).</summary>
    public byte Flags => _b[1];
    /// <summary>Bit 7 of byte 1: F (final) in most PDUs, T (transit) in login PDUs.</summary>
    public bool Final => (_b[1] & 0x80) != 0;
    /// <summary>TotalAHSLength in 4-byte words (§11.2.1.4).</summary>
    public int TotalAhsLength => _b[4];
    public int DataSegmentLength => (_b[5] << 16) | (_b[6] << 8) | _b[7];
    /// <summary>Bytes 8-15 as a big-endian number: the LUN where the PDU has one (ISID and TSIH in login PDUs).</summary>
    public ulong Lun => BinaryPrimitives.ReadUInt64BigEndian(_b[8..]);
    public ReadOnlySpan<byte> LunBytes => _b.Slice(8, 8);
    public uint InitiatorTaskTag => BinaryPrimitives.ReadUInt32BigEndian(_b[16..]);

    /// <summary>Writes DataSegmentLength (bytes 5-7, 24 bits, §11.2.1.5) into a BHS.</summary>
    public static void WriteDataSegmentLength(Span<byte> bhs, int length)
    {
        if ((uint)length > 0xFFFFFF) throw new ArgumentOutOfRangeException(nameof(length));
        bhs[5] = (byte)(length >> 16);
        bhs[6] = (byte)(length >> 8);
        bhs[7] = (byte)length;
    }
}
