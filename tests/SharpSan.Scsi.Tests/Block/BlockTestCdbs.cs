using System.Buffers.Binary;

namespace SharpSan.Scsi.Tests.Block;

/// <summary>CDBs of the write-integrity commands and the sense fields their tests read.</summary>
internal static class BlockTestCdbs
{
    public static byte[] CompareAndWrite(ulong lba, byte blocks, byte flags = 0)
    {
        var cdb = new byte[16];
        cdb[0] = 0x89;
        cdb[1] = flags;
        BinaryPrimitives.WriteUInt64BigEndian(cdb.AsSpan(2), lba);
        cdb[13] = blocks;
        return cdb;
    }

    public static byte[] OrWrite(ulong lba, uint blocks, byte flags = 0) => Harness.Cdb16(0x8B, flags, lba, blocks);

    public static byte[] WriteAtomic(ulong lba, ushort blocks, byte flags = 0, ushort boundary = 0)
    {
        var cdb = new byte[16];
        cdb[0] = 0x9C;
        cdb[1] = flags;
        BinaryPrimitives.WriteUInt64BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(10), boundary);
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(12), blocks);
        return cdb;
    }

    public static byte[] Sanitize(byte serviceAction, ushort parameterLength, bool immediate = false, bool ause = false) =>
        Harness.Cdb(0x48, serviceAction | (immediate ? 0x80 : 0) | (ause ? 0x20 : 0), 0, 0, 0, 0, 0, parameterLength >> 8, parameterLength & 0xFF, 0);

    /// <summary>The INFORMATION field of fixed-format sense (bytes 3-6) and its VALID bit.</summary>
    public static (bool Valid, uint Information) Information(Result result) =>
        ((result.Sense[0] & 0x80) != 0, BinaryPrimitives.ReadUInt32BigEndian(result.Sense.AsSpan(3)));

    public static byte[] BlockLimits(Harness harness) => harness.Run(Harness.Cdb(0x12, 1, 0xB0, 0, 0xFF, 0)).Data;
}
