using System.Buffers.Binary;

namespace SharpSan.Scsi.Tests.ExtendedCopy;

/// <summary>Builds EXTENDED COPY(LID1) parameter lists (SPC-4 6.4.3) and CDBs the way libiscsi's
/// populate_* helpers do: identification CSCD descriptors (E4h) with a unit's NAA designator, block to
/// block segments (02h).</summary>
internal sealed class XcopyList
{
    private readonly List<byte[]> _cscds = [];
    private readonly List<byte[]> _segments = [];

    public byte ListId { get; set; } = 1;
    public int Usage { get; set; }
    public uint InlineLength { get; set; }

    /// <summary>An E4h descriptor naming <paramref name="unit"/> by its NAA designator (VPD 83h).</summary>
    public XcopyList Target(LogicalUnit unit, int blockLength = -1)
    {
        var naa = new byte[16];
        VpdPages.BuildNaa(unit.Identity.Wwn, naa);
        return Target(0x01, 0x03, naa, blockLength < 0 ? unit.Backstore.BlockSize : blockLength);
    }

    /// <summary>An E4h descriptor with the given code set, designator type and designator.</summary>
    public XcopyList Target(byte codeSet, byte designatorType, byte[] designator, int blockLength = 512, byte typeCode = 0xE4, byte byte1 = 0)
    {
        var d = new byte[typeCode is 0xEA or 0xEB ? 64 : 32];
        d[0] = typeCode;
        d[1] = byte1;
        d[4] = codeSet;
        d[5] = designatorType;
        d[7] = (byte)designator.Length;
        designator.AsSpan(0, Math.Min(designator.Length, 20)).CopyTo(d.AsSpan(8));
        d[29] = (byte)(blockLength >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(30), (ushort)blockLength);
        _cscds.Add(d);
        return this;
    }

    /// <summary>A block to block segment descriptor (02h).</summary>
    public XcopyList Segment(int source, int destination, ushort blocks, ulong sourceLba, ulong destinationLba, bool dc = false)
    {
        var d = new byte[28];
        d[0] = 0x02;
        d[1] = (byte)(dc ? 0x02 : 0x00);
        BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(2), 0x18);
        BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(4), (ushort)source);
        BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(6), (ushort)destination);
        BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(10), blocks);
        BinaryPrimitives.WriteUInt64BigEndian(d.AsSpan(12), sourceLba);
        BinaryPrimitives.WriteUInt64BigEndian(d.AsSpan(20), destinationLba);
        _segments.Add(d);
        return this;
    }

    /// <summary>Any segment descriptor: type code and the bytes after its 4-byte header.</summary>
    public XcopyList RawSegment(byte typeCode, int bodyLength)
    {
        var d = new byte[4 + bodyLength];
        d[0] = typeCode;
        BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(2), (ushort)bodyLength);
        _segments.Add(d);
        return this;
    }

    public int CscdLength => _cscds.Sum(d => d.Length);
    public int SegmentLength => _segments.Sum(d => d.Length);

    public byte[] Build()
    {
        var list = new byte[16 + CscdLength + SegmentLength + (int)InlineLength];
        list[0] = ListId;
        list[1] = (byte)((Usage & 3) << 3);
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(2), (ushort)CscdLength);
        BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(8), (uint)SegmentLength);
        BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(12), InlineLength);
        int offset = 16;
        foreach (byte[] d in _cscds.Concat(_segments))
        {
            d.CopyTo(list, offset);
            offset += d.Length;
        }

        return list;
    }

    /// <summary>EXTENDED COPY(LID1) CDB with PARAMETER LIST LENGTH <paramref name="length"/>.</summary>
    public static byte[] Cdb(int length)
    {
        var cdb = new byte[16];
        cdb[0] = 0x83;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(10), (uint)length);
        return cdb;
    }

    /// <summary>RECEIVE COPY RESULTS(LID1) CDB.</summary>
    public static byte[] ReceiveCopyResults(byte serviceAction, byte listId, uint allocation = 1024)
    {
        var cdb = new byte[16];
        cdb[0] = 0x84;
        cdb[1] = serviceAction;
        cdb[2] = listId;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(10), allocation);
        return cdb;
    }
}
