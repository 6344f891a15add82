using System.Buffers.Binary;

namespace SharpSan.Protocol;

/// <summary>Writes BHS fields into a 48-byte span (RFC 7143 §11.2.1). Start with <see cref="Init"/>.</summary>
public readonly ref struct BhsBuilder
{
    private readonly Span<byte> _b;

    public BhsBuilder(Span<byte> bytes)
    {
        if (bytes.Length < Bhs.Length) throw new ArgumentException("a BHS is 48 bytes", nameof(bytes));
        _b = bytes[..Bhs.Length];
    }

    public Span<byte> Bytes => _b;

    /// <summary>Zeroes the header and sets the opcode and flags byte.</summary>
    public BhsBuilder Init(Opcode opcode, byte flags, bool immediate = false)
    {
        _b.Clear();
        _b[0] = (byte)((byte)opcode | (immediate ? 0x40 : 0));
        _b[1] = flags;
        return this;
    }

    public void SetFlags(byte flags) => _b[1] = flags;
    public void SetByte2(byte v) => _b[2] = v;
    public void SetByte3(byte v) => _b[3] = v;
    public void SetTotalAhsLength(int words) => _b[4] = (byte)words;

    public void SetDataSegmentLength(int length)
    {
        if ((uint)length > 0xFFFFFF) throw new ArgumentOutOfRangeException(nameof(length));
        _b[5] = (byte)(length >> 16);
        _b[6] = (byte)(length >> 8);
        _b[7] = (byte)length;
    }

    public void SetLun(ulong lun) => BinaryPrimitives.WriteUInt64BigEndian(_b[8..], lun);
    public void SetLun(ReadOnlySpan<byte> lun8) => lun8[..8].CopyTo(_b[8..]);
    public void SetInitiatorTaskTag(uint v) => BinaryPrimitives.WriteUInt32BigEndian(_b[16..], v);
    public void SetWord20(uint v) => BinaryPrimitives.WriteUInt32BigEndian(_b[20..], v);
    public void SetWord24(uint v) => BinaryPrimitives.WriteUInt32BigEndian(_b[24..], v);
    public void SetWord28(uint v) => BinaryPrimitives.WriteUInt32BigEndian(_b[28..], v);
    public void SetWord32(uint v) => BinaryPrimitives.WriteUInt32BigEndian(_b[32..], v);
    public void SetWord36(uint v) => BinaryPrimitives.WriteUInt32BigEndian(_b[36..], v);
    public void SetWord40(uint v) => BinaryPrimitives.WriteUInt32BigEndian(_b[40..], v);
    public void SetWord44(uint v) => BinaryPrimitives.WriteUInt32BigEndian(_b[44..], v);

    public void SetIsidTsih(ulong isid, ushort tsih)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_b[8..], (isid << 16) | tsih);
    }

    public void SetCid(ushort cid) => BinaryPrimitives.WriteUInt16BigEndian(_b[20..], cid);
    public void SetCdb(ReadOnlySpan<byte> cdb)
    {
        _b.Slice(32, 16).Clear();
        cdb[..Math.Min(16, cdb.Length)].CopyTo(_b[32..]);
    }
}
