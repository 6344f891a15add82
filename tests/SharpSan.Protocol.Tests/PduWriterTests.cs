using System.Buffers;

namespace SharpSan.Protocol.Tests;

public class PduWriterTests
{
    public static TheoryData<int, bool, bool> Cases()
    {
        var data = new TheoryData<int, bool, bool>();
        foreach (var len in new[] { 0, 1, 2, 3, 4, 5, 8191, 262144 })
            foreach (var hd in new[] { false, true })
                foreach (var dd in new[] { false, true })
                    data.Add(len, hd, dd);
        return data;
    }

    private static byte[] Header(int dataLength, uint itt = 0x11223344)
    {
        var bhs = new byte[48];
        new DataInPdu
        {
            Final = true, StatusPresent = true, Lun = 0x0001000000000000, InitiatorTaskTag = itt, TargetTransferTag = Bhs.ReservedTag,
            Sequence = new(7, 8, 9), DataSN = 10, BufferOffset = 0x1000,
        }.Encode(bhs, dataLength);
        return bhs;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RoundTrip(int length, bool headerDigest, bool dataDigest)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var bhs = Header(length);
        var w = new ArrayBufferWriter<byte>();
        PduWriter.Write(w, bhs, data, headerDigest, dataDigest);

        int pad = (4 - (length % 4)) % 4;
        int expected = 48 + (headerDigest ? 4 : 0) + length + pad + (dataDigest && length > 0 ? 4 : 0);
        Assert.Equal(expected, w.WrittenCount);
        Assert.Equal(0, w.WrittenCount % 4);
        var bytes = w.WrittenSpan.ToArray();
        Assert.Equal(bhs, bytes[..48]);
        int dataStart = 48 + (headerDigest ? 4 : 0);
        Assert.Equal(data, bytes[dataStart..(dataStart + length)]);
        Assert.All(bytes[(dataStart + length)..(dataStart + length + pad)], b => Assert.Equal(0, b));

        var limits = new PduLimits(262144, headerDigest, dataDigest);
        foreach (var seq in new[] { new ReadOnlySequence<byte>(bytes), Sequences.RandomChunks(bytes, 4097, length) })
        {
            Assert.True(PduReader.TryRead(seq, limits, out var frame, out var ok));
            Assert.True(ok);
            Assert.Equal(bhs, frame.Header.ToArray());
            Assert.Equal(data, frame.Data.ToArray());
            Assert.Equal(0, frame.Ahs.Length);
            Assert.Equal(bytes.Length, seq.Slice(0, frame.End).Length);
            // One byte short is not a PDU yet.
            Assert.False(PduReader.TryRead(seq.Slice(0, bytes.Length - 1), limits, out _, out _));
        }
    }

    [Fact]
    public void PaddingIsZeroEvenWhenTheOutputBufferIsDirty()
    {
        var bhs = Header(5);
        var backing = new byte[256];
        Array.Fill(backing, (byte)0xCC);
        var w = new DirtyWriter(backing);
        PduWriter.Write(w, bhs, new byte[] { 1, 2, 3, 4, 5 }, headerDigest: false, dataDigest: false);
        Assert.Equal(56, w.Written);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 0, 0, 0 }, backing[48..56]);
        Assert.Equal(0xCC, backing[56]);
    }

    [Fact]
    public void SeveralPdusBackToBack_ReadBackInOrder()
    {
        var w = new ArrayBufferWriter<byte>();
        for (int i = 0; i < 10; i++)
        {
            var bhs = Header(i, itt: (uint)i);
            PduWriter.Write(w, bhs, Enumerable.Repeat((byte)i, i).ToArray(), true, true);
        }
        var limits = new PduLimits(8192, true, true);
        var pdus = Framer.FrameAll(new ReadOnlySequence<byte>(w.WrittenMemory), limits, limits, out var consumed);
        Assert.Equal(w.WrittenCount, consumed);
        Assert.Equal(10, pdus.Count);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal((uint)i, new Bhs(pdus[i].Header).InitiatorTaskTag);
            Assert.Equal(Enumerable.Repeat((byte)i, i).ToArray(), pdus[i].Data);
            Assert.True(pdus[i].DataDigestOk);
        }
    }

    /// <summary>An IBufferWriter over a pre-filled array, to catch a writer that skips clearing padding.</summary>
    private sealed class DirtyWriter(byte[] buffer) : IBufferWriter<byte>
    {
        public int Written { get; private set; }
        public void Advance(int count) => Written += count;
        public Memory<byte> GetMemory(int sizeHint = 0) => buffer.AsMemory(Written);
        public Span<byte> GetSpan(int sizeHint = 0) => buffer.AsSpan(Written);
    }
}
