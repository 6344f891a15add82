using System.Buffers.Binary;

namespace SharpSan.Protocol;

/// <summary>
/// Typed view over a 48-byte Basic Header Segment (RFC 7143 §11.2.1). Getters read big-endian fields
/// in place; the same offsets serve every PDU type, named after the RFC's field names. Use
/// <see cref="BhsBuilder"/> to write one.
/// </summary>
public readonly ref struct Bhs
{
    public const int Length = 48;
    public const uint ReservedTag = 0xFFFFFFFF;

    private readonly ReadOnlySpan<byte> _b;

    public Bhs(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Length) throw new ArgumentException("a BHS is 48 bytes", nameof(bytes));
        _b = bytes[..Length];
    }

    public ReadOnlySpan<byte> Bytes => _b;

    /// <summary>Writes DataSegmentLength (bytes 5-7, 24 bits, §11.2.1.5) into a BHS.</summary>
    public static void WriteDataSegmentLength(Span<byte> bhs, int length)
    {
        if ((uint)length > 0xFFFFFF) throw new ArgumentOutOfRangeException(nameof(length));
        bhs[5] = (byte)(length >> 16);
        bhs[6] = (byte)(length >> 8);
        bhs[7] = (byte)length;
    }
    public Opcode Opcode => (Opcode)(_b[0] & 0x3F);
    /// <summary>I bit: immediate delivery (initiator PDUs).</summary>
    public bool Immediate => (_b[0] & 0x40) != 0;
    /// <summary>Byte 1, whose bits are opcode specific (F, R, W, ATTR, T, C, CSG, NSG...).</summary>
    public byte Flags => _b[1];
    public bool Final => (_b[1] & 0x80) != 0;
    public byte Byte2 => _b[2];
    public byte Byte3 => _b[3];
    /// <summary>TotalAHSLength in 4-byte words (§11.2.1.4).</summary>
    public int TotalAhsLength => _b[4];
    public int DataSegmentLength => (_b[5] << 16) | (_b[6] << 8) | _b[7];
    public ulong Lun => BinaryPrimitives.ReadUInt64BigEndian(_b[8..]);
    public ReadOnlySpan<byte> LunBytes => _b.Slice(8, 8);
    public uint InitiatorTaskTag => BinaryPrimitives.ReadUInt32BigEndian(_b[16..]);
    /// <summary>Bytes 20-23: Target Transfer Tag, Expected Data Transfer Length, Referenced Task Tag, or CID.</summary>
    public uint Word20 => BinaryPrimitives.ReadUInt32BigEndian(_b[20..]);
    /// <summary>Bytes 24-27: CmdSN (initiator) or StatSN (target).</summary>
    public uint Word24 => BinaryPrimitives.ReadUInt32BigEndian(_b[24..]);
    /// <summary>Bytes 28-31: ExpStatSN (initiator) or ExpCmdSN (target).</summary>
    public uint Word28 => BinaryPrimitives.ReadUInt32BigEndian(_b[28..]);
    public uint Word32 => BinaryPrimitives.ReadUInt32BigEndian(_b[32..]);
    public uint Word36 => BinaryPrimitives.ReadUInt32BigEndian(_b[36..]);
    public uint Word40 => BinaryPrimitives.ReadUInt32BigEndian(_b[40..]);
    public uint Word44 => BinaryPrimitives.ReadUInt32BigEndian(_b[44..]);

    // ---- named accessors for the common fields ----
    public uint TargetTransferTag => Word20;
    public uint ExpectedDataTransferLength => Word20;
    public uint CmdSN => Word24;
    public uint ExpStatSN => Word28;
    public uint StatSN => Word24;
    public uint ExpCmdSN => Word28;
    public uint MaxCmdSN => Word32;
    public uint DataSN => Word36;
    public uint BufferOffset => Word40;
    /// <summary>SCSI Command CDB, bytes 32-47 (§11.3.5).</summary>
    public ReadOnlySpan<byte> Cdb => _b.Slice(32, 16);

    // Login (§11.12)
    public bool Transit => (_b[1] & 0x80) != 0;
    public bool Continue => (_b[1] & 0x40) != 0;
    public int CurrentStage => (_b[1] >> 2) & 0x3;
    public int NextStage => _b[1] & 0x3;
    public byte VersionMax => _b[2];
    public byte VersionMin => _b[3];
    public ulong Isid => BinaryPrimitives.ReadUInt64BigEndian(_b[8..]) >> 16;
    public ushort Tsih => BinaryPrimitives.ReadUInt16BigEndian(_b[14..]);
    public ushort Cid => BinaryPrimitives.ReadUInt16BigEndian(_b[20..]);
}
