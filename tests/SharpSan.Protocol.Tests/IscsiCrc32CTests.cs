using System.Buffers;
using System.Buffers.Binary;

namespace SharpSan.Protocol.Tests;

/// <summary>RFC 3720 / RFC 7143 Appendix B.4 CRC32C examples. The RFC lists the CRC as the bytes sent
/// on the wire; our Compute() value written little-endian must produce them.</summary>
public class IscsiCrc32CTests
{
    public static TheoryData<byte[], uint, byte[]> RfcVectors => new()
    {
        { new byte[32], 0x8a9136aa, new byte[] { 0xaa, 0x36, 0x91, 0x8a } },
        { Enumerable.Repeat((byte)0xff, 32).ToArray(), 0x62a8ab43, new byte[] { 0x43, 0xab, 0xa8, 0x62 } },
        { Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 0x46dd794e, new byte[] { 0x4e, 0x79, 0xdd, 0x46 } },
        { Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(), 0x113fdb5c, new byte[] { 0x5c, 0xdb, 0x3f, 0x11 } },
    };

    [Theory]
    [MemberData(nameof(RfcVectors))]
    public void RfcVectors_ComputeAndWireBytes(byte[] input, uint value, byte[] wire)
    {
        Assert.Equal(value, IscsiCrc32C.Compute(input));
        Span<byte> le = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(le, IscsiCrc32C.Compute(input));
        Assert.Equal(wire, le.ToArray());
    }

    [Theory]
    [MemberData(nameof(RfcVectors))]
    public void RfcVectors_PduWriterPutsTheRfcBytesOnTheWire(byte[] input, uint value, byte[] wire)
    {
        _ = value;
        // A 32-byte data segment: the data digest after it must be the RFC's byte sequence.
        var bhs = new byte[48];
        new DataOutPdu { Final = true }.Encode(bhs, 32);
        var w = new ArrayBufferWriter<byte>();
        PduWriter.Write(w, bhs, input, headerDigest: false, dataDigest: true);
        Assert.Equal(wire, w.WrittenSpan[^4..].ToArray());
    }

    [Fact]
    public void CheckValue_123456789()
    {
        // The standard CRC-32C check value.
        Assert.Equal(0xE3069283u, IscsiCrc32C.Compute("123456789"u8));
        Assert.Equal(0u, IscsiCrc32C.Compute(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void IncrementalAndSegmentedUpdates_EqualOneShot()
    {
        var data = new byte[1000];
        new Random(3).NextBytes(data);
        uint expected = IscsiCrc32C.Compute(data);
        for (int cut = 0; cut <= data.Length; cut += 37)
        {
            uint crc = IscsiCrc32C.Update(IscsiCrc32C.Seed, data.AsSpan(0, cut));
            crc = IscsiCrc32C.Update(crc, data.AsSpan(cut));
            Assert.Equal(expected, IscsiCrc32C.Finish(crc));
        }
        Assert.Equal(expected, IscsiCrc32C.Compute(Sequences.Chunked(data, 1)));
        Assert.Equal(expected, IscsiCrc32C.Compute(Sequences.RandomChunks(data, 13, 5)));
        Assert.Equal(expected, IscsiCrc32C.Compute(new ReadOnlySequence<byte>(data)));
        // Unaligned start and odd lengths.
        for (int off = 0; off < 9; off++)
            for (int len = 0; len < 20; len++)
                Assert.Equal(Reference(data.AsSpan(off, len)), IscsiCrc32C.Compute(data.AsSpan(off, len)));
    }

    /// <summary>Bitwise reference CRC32C (reflected polynomial 0x82F63B78).</summary>
    private static uint Reference(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (var b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
        }
        return ~crc;
    }

    [Fact]
    public void MatchesBitwiseReference_OnRandomData()
    {
        var rng = new Random(11);
        for (int i = 0; i < 50; i++)
        {
            var data = new byte[rng.Next(0, 300)];
            rng.NextBytes(data);
            Assert.Equal(Reference(data), IscsiCrc32C.Compute(data));
        }
    }
}
