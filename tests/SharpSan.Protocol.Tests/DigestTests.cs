using System.Buffers;
using System.Buffers.Binary;

namespace SharpSan.Protocol.Tests;

/// <summary>CRC32C header and data digests (RFC 7143 §13.1), checked against the Linux kernel initiator
/// talking to tgt with HeaderDigest=CRC32C and DataDigest=CRC32C.</summary>
public class DigestTests
{
    private const string KernelC2S = "kernel-login-chap-digests.1.c2s.bin";
    private const string KernelS2C = "kernel-login-chap-digests.1.s2c.bin";
    private static readonly PduLimits FullFeature = new(262144, HeaderDigest: true, DataDigest: true);

    public static TheoryData<string, int> KernelStreams => new() { { KernelC2S, 253 }, { KernelS2C, 95 } };

    [Theory]
    [MemberData(nameof(KernelStreams))]
    public void KernelCapture_AllDigestsVerify(string file, int pduCount)
    {
        var stream = Captures.Load(file);
        var pdus = Framer.FrameAll(stream, PduLimits.Login, FullFeature);
        Assert.Equal(pduCount, pdus.Count);
        Assert.All(pdus, p => Assert.True(p.DataDigestOk));
        // Four login PDUs without digests, then full feature phase PDUs each with a header digest.
        Assert.Equal(4, pdus.TakeWhile(p => p.Opcode is Opcode.LoginRequest or Opcode.LoginResponse).Count());
        foreach (var p in pdus.Skip(4))
        {
            int dataPart = p.Data.Length == 0 ? 0 : ((p.Data.Length + 3) & ~3) + 4;
            Assert.Equal(48 + p.Ahs.Length + 4 + dataPart, p.WireLength);
        }
        Assert.Contains(pdus, p => p.Data.Length > 0 && p.Offset > 1000);
    }

    [Fact]
    public void KernelCapture_DigestsAreCrc32CSentLeastSignificantByteFirst()
    {
        var stream = Captures.Load(KernelC2S);
        var pdus = Framer.FrameAll(stream, PduLimits.Login, FullFeature);
        var first = pdus[4]; // first full feature phase PDU: a SCSI command
        Assert.Equal(Opcode.ScsiCommand, first.Opcode);
        uint onWire = BinaryPrimitives.ReadUInt32LittleEndian(stream.AsSpan((int)first.Offset + 48, 4));
        Assert.Equal(IscsiCrc32C.Compute(first.Header), onWire);

        var s2c = Captures.Load(KernelS2C);
        var withData = Framer.FrameAll(s2c, PduLimits.Login, FullFeature).Skip(4).First(p => p.Data.Length > 0);
        int padded = (withData.Data.Length + 3) & ~3;
        var dataWithPadding = s2c.AsSpan((int)withData.Offset + 52, padded);
        uint dataDigest = BinaryPrimitives.ReadUInt32LittleEndian(s2c.AsSpan((int)withData.Offset + 52 + padded, 4));
        Assert.Equal(IscsiCrc32C.Compute(dataWithPadding), dataDigest);
    }

    [Theory]
    [MemberData(nameof(KernelStreams))]
    public void KernelCapture_SplitIntoSmallSegments_FramesTheSame(string file, int pduCount)
    {
        var stream = Captures.Load(file);
        var reference = Framer.FrameAll(stream, PduLimits.Login, FullFeature);
        Assert.Equal(pduCount, reference.Count);
        foreach (var seq in new[] { Sequences.Chunked(stream, 1), Sequences.Chunked(stream, 7), Sequences.RandomChunks(stream, 3000, 42) })
        {
            var pdus = Framer.FrameAll(seq, PduLimits.Login, FullFeature, out var consumed);
            Assert.Equal(stream.Length, consumed);
            Framer.AssertSame(reference, pdus);
        }
    }

    [Theory]
    [MemberData(nameof(KernelStreams))]
    public void KernelCapture_PduWriterReproducesTheWireBytes(string file, int pduCount)
    {
        var stream = Captures.Load(file);
        var pdus = Framer.FrameAll(stream, PduLimits.Login, FullFeature);
        Assert.Equal(pduCount, pdus.Count);
        int checkedCount = 0;
        foreach (var p in pdus)
        {
            if (p.Ahs.Length != 0) continue; // PduWriter writes BHS-only headers
            bool ffp = p.Offset >= pdus[3].Offset + pdus[3].WireLength;
            var w = new ArrayBufferWriter<byte>();
            PduWriter.Write(w, p.Header, p.Data, headerDigest: ffp, dataDigest: ffp);
            Assert.Equal(stream.AsSpan((int)p.Offset, (int)p.WireLength).ToArray(), w.WrittenSpan.ToArray());
            checkedCount++;
        }
        Assert.True(checkedCount > pduCount / 2);
    }

    [Fact]
    public void CorruptHeaderByte_ThrowsHeaderDigest()
    {
        var stream = Captures.Load(KernelC2S);
        var pdus = Framer.FrameAll(stream, PduLimits.Login, FullFeature);
        var p = pdus[4];
        // Every header byte outside the DataSegmentLength field (which changes how many bytes are awaited).
        for (int i = 0; i < 48; i++)
        {
            if (i is >= 4 and <= 7) continue;
            var copy = stream.AsSpan((int)p.Offset, (int)p.WireLength).ToArray();
            copy[i] ^= 0x01;
            var ex = Assert.Throws<PduFormatException>(() => PduReader.TryRead(new ReadOnlySequence<byte>(copy), FullFeature, out _, out _));
            Assert.Equal(PduError.HeaderDigest, ex.Error);
        }
    }

    [Fact]
    public void CorruptHeaderDigestByte_ThrowsHeaderDigest_AlsoAcrossSegments()
    {
        var stream = Captures.Load(KernelS2C);
        var pdus = Framer.FrameAll(stream, PduLimits.Login, FullFeature);
        var p = pdus.Skip(4).First(x => x.Data.Length > 0);
        for (int i = 48; i < 52; i++)
        {
            var copy = stream.AsSpan((int)p.Offset, (int)p.WireLength).ToArray();
            copy[i] ^= 0x80;
            var ex = Assert.Throws<PduFormatException>(() => PduReader.TryRead(Sequences.Chunked(copy, 5), FullFeature, out _, out _));
            Assert.Equal(PduError.HeaderDigest, ex.Error);
        }
    }

    [Fact]
    public void CorruptDataOrDataDigestByte_ReportsDataDigestNotOk_AndKeepsFraming()
    {
        var stream = Captures.Load(KernelS2C);
        var pdus = Framer.FrameAll(stream, PduLimits.Login, FullFeature);
        var p = pdus.Skip(4).First(x => x.Data.Length > 0);
        int dataStart = 52;
        int end = (int)p.WireLength;
        foreach (int i in new[] { dataStart, dataStart + p.Data.Length / 2, dataStart + p.Data.Length - 1, end - 4, end - 1 })
        {
            var copy = stream.AsSpan((int)p.Offset, (int)p.WireLength).ToArray();
            copy[i] ^= 0x10;
            var seq = new ReadOnlySequence<byte>(copy);
            Assert.True(PduReader.TryRead(seq, FullFeature, out var frame, out var ok));
            Assert.False(ok);
            Assert.Equal(p.WireLength, seq.Slice(0, frame.End).Length);
            Assert.Equal(p.Header, frame.Header.ToArray());
        }
        // Without the corruption it passes.
        Assert.True(PduReader.TryRead(new ReadOnlySequence<byte>(stream, (int)p.Offset, (int)p.WireLength), FullFeature, out _, out var good));
        Assert.True(good);
    }

    [Fact]
    public void CorruptPaddingByte_ReportsDataDigestNotOk()
    {
        // §13.1: the data digest covers the padding too.
        var bhs = new byte[48];
        new DataInPdu { Final = true }.Encode(bhs, 5);
        var w = new ArrayBufferWriter<byte>();
        PduWriter.Write(w, bhs, new byte[] { 1, 2, 3, 4, 5 }, true, true);
        var bytes = w.WrittenSpan.ToArray();
        Assert.Equal(48 + 4 + 8 + 4, bytes.Length);
        Assert.True(PduReader.TryRead(new ReadOnlySequence<byte>(bytes), FullFeature, out _, out var ok));
        Assert.True(ok);
        bytes[52 + 6] = 0xFF; // a padding byte
        Assert.True(PduReader.TryRead(new ReadOnlySequence<byte>(bytes), FullFeature, out _, out ok));
        Assert.False(ok);
    }

    [Fact]
    public void HeaderDigestOnly_NoDataDigestExpected()
    {
        var bhs = new byte[48];
        new ScsiCommandPdu { Final = true }.Encode(bhs, 3);
        var w = new ArrayBufferWriter<byte>();
        PduWriter.Write(w, bhs, new byte[] { 7, 8, 9 }, headerDigest: true, dataDigest: false);
        Assert.Equal(48 + 4 + 4, w.WrittenCount);
        var limits = new PduLimits(8192, HeaderDigest: true, DataDigest: false);
        Assert.True(PduReader.TryRead(new ReadOnlySequence<byte>(w.WrittenMemory), limits, out var frame, out var ok));
        Assert.True(ok);
        Assert.Equal(new byte[] { 7, 8, 9 }, frame.Data.ToArray());
    }

    [Fact]
    public void CorruptDataSegmentLength_DetectedAsHeaderDigestErrorAsSoonAsTheHeaderIsIn()
    {
        // ARCHITECTURE.md: PduReader enforces "digests ... *before* buffering a payload". With only BHS +
        // header digest received, a header whose DataSegmentLength was corrupted upwards (still under the
        // limit) must be refused at once; at ERL 0 the peer may wait for our answer forever otherwise.
        var stream = Captures.Load(KernelC2S);
        var p = Framer.FrameAll(stream, PduLimits.Login, FullFeature)[4];
        Assert.Empty(p.Data);
        var copy = stream.AsSpan((int)p.Offset, 52).ToArray();
        copy[7] = 0x10; // DataSegmentLength 0 -> 16
        var ex = Assert.Throws<PduFormatException>(() => PduReader.TryRead(new ReadOnlySequence<byte>(copy), FullFeature, out _, out _));
        Assert.Equal(PduError.HeaderDigest, ex.Error);
    }

    [Fact]
    public void ReadWriteCapture_HasNoDigestsOnTheWire()
    {
        // Despite the file name, tgt answered HeaderDigest=None to QEMU's HeaderDigest=CRC32C offer, so the
        // full feature phase of rw-headerdigest-chap.pcap carries no digests; framing it with digests must fail.
        var s2c = Captures.Load("rw-headerdigest-chap.0.s2c.bin");
        var login = Framer.FrameAll(s2c).Take(4).ToList();
        Assert.Contains(login[3].Keys, k => k.Key == "HeaderDigest" && k.Value == "None");
        var ffp = new ReadOnlySequence<byte>(s2c).Slice(login[3].Offset + login[3].WireLength);
        Assert.Throws<PduFormatException>(() => PduReader.TryRead(ffp, new PduLimits(262144, true, false), out _, out _));
    }
}
