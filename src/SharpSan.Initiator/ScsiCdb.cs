using System.Buffers.Binary;

namespace SharpSan.Initiator;

/// <summary>CDB builders for the commands <see cref="BlockDevice"/> uses (SPC-4, SBC-3).</summary>
public static class ScsiCdb
{
    public static byte[] TestUnitReady() => new byte[6];

    /// <summary>INQUIRY (SPC-4 §6.6): standard data, or a VPD page when <paramref name="vpdPage"/> is set.</summary>
    public static byte[] Inquiry(int allocationLength, byte? vpdPage = null)
    {
        var c = new byte[6];
        c[0] = 0x12;
        if (vpdPage is { } page)
        {
            c[1] = 0x01; // EVPD
            c[2] = page;
        }
        BinaryPrimitives.WriteUInt16BigEndian(c.AsSpan(3), (ushort)allocationLength);
        return c;
    }

    /// <summary>REPORT TARGET PORT GROUPS (SPC-4 §6.36): MAINTENANCE IN, service action 0x0A, length-only header format.</summary>
    public static byte[] ReportTargetPortGroups(int allocationLength)
    {
        var c = new byte[12];
        c[0] = 0xA3;
        c[1] = 0x0A;
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(6), (uint)allocationLength);
        return c;
    }

    /// <summary>READ CAPACITY(10) (SBC-3 §5.15).</summary>
    public static byte[] ReadCapacity10() => new byte[10] { 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

    /// <summary>READ CAPACITY(16) (SBC-3 §5.16): SERVICE ACTION IN(16), service action 0x10.</summary>
    public static byte[] ReadCapacity16(int allocationLength = 32)
    {
        var c = new byte[16];
        c[0] = 0x9E;
        c[1] = 0x10;
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(10), (uint)allocationLength);
        return c;
    }

    /// <summary>READ(16) (SBC-3 §5.9).</summary>
    public static byte[] Read16(ulong lba, uint blocks) => Rw16(0x88, lba, blocks, false);

    /// <summary>WRITE(16) (SBC-3 §5.34), FUA in byte 1 bit 3.</summary>
    public static byte[] Write16(ulong lba, uint blocks, bool fua) => Rw16(0x8A, lba, blocks, fua);

    /// <summary>READ(10) (SBC-3 §5.8).</summary>
    public static byte[] Read10(uint lba, ushort blocks)
    {
        var c = new byte[10];
        c[0] = 0x28;
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt16BigEndian(c.AsSpan(7), blocks);
        return c;
    }

    /// <summary>SYNCHRONIZE CACHE(16) (SBC-3 §5.23): the whole medium.</summary>
    public static byte[] SynchronizeCache16() => new byte[16] { 0x91, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

    /// <summary>UNMAP (SBC-3 §5.28) with a parameter list of <paramref name="parameterLength"/> bytes.</summary>
    public static byte[] Unmap(int parameterLength)
    {
        var c = new byte[10];
        c[0] = 0x42;
        BinaryPrimitives.WriteUInt16BigEndian(c.AsSpan(7), (ushort)parameterLength);
        return c;
    }

    private static byte[] Rw16(byte opcode, ulong lba, uint blocks, bool fua)
    {
        var c = new byte[16];
        c[0] = opcode;
        if (fua) c[1] = 0x08;
        BinaryPrimitives.WriteUInt64BigEndian(c.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt32BigEndian(c.AsSpan(10), blocks);
        return c;
    }
}
