using System.Buffers.Binary;

namespace SharpSan.Scsi.Tests;

/// <summary>CDBs and parameter lists of the provisioning commands (SBC-3 5.4, 5.28, 5.41, 5.42).</summary>
internal static class ProvisioningCdb
{
    public static byte[] Unmap(int parameterListLength, byte flags = 0)
    {
        var cdb = new byte[10];
        cdb[0] = 0x42;
        cdb[1] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(7), (ushort)parameterListLength);
        return cdb;
    }

    /// <summary>An UNMAP parameter list with one descriptor per (lba, count).</summary>
    public static byte[] UnmapList(params (ulong Lba, uint Count)[] ranges)
    {
        var list = new byte[8 + 16 * ranges.Length];
        BinaryPrimitives.WriteUInt16BigEndian(list, (ushort)(list.Length - 2));
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(2), (ushort)(16 * ranges.Length));
        for (int i = 0; i < ranges.Length; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(list.AsSpan(8 + 16 * i), ranges[i].Lba);
            BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(16 + 16 * i), ranges[i].Count);
        }

        return list;
    }

    public static byte[] WriteSame10(uint lba, ushort blocks, byte flags = 0)
    {
        var cdb = new byte[10];
        cdb[0] = 0x41;
        cdb[1] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(7), blocks);
        return cdb;
    }

    public static byte[] WriteSame16(ulong lba, uint blocks, byte flags = 0) => Harness.Cdb16(0x93, flags, lba, blocks);

    /// <summary>WRITE SAME(32) (SBC-4): variable length CDB 7Fh, ADDITIONAL CDB LENGTH 18h, service action
    /// 000Dh; <paramref name="flags"/> in byte 10 (WRPROTECT, ANCHOR, UNMAP, NDOB as in byte 1 of (16)).</summary>
    public static byte[] WriteSame32(ulong lba, uint blocks, byte flags = 0, byte control = 0)
    {
        var cdb = new byte[32];
        cdb[0] = 0x7F;
        cdb[1] = control;
        cdb[7] = 0x18;
        cdb[9] = 0x0D;
        cdb[10] = flags;
        BinaryPrimitives.WriteUInt64BigEndian(cdb.AsSpan(12), lba);
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(28), blocks);
        return cdb;
    }

    public static byte[] GetLbaStatus(ulong lba, uint allocationLength) => Harness.Cdb16(0x9E, 0x12, lba, allocationLength);

    public const byte UnmapBit = 0x08;
    public const byte Anchor = 0x10;
    public const byte Ndob = 0x01;
}
