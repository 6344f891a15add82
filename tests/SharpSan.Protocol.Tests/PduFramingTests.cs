using System.Buffers;

namespace SharpSan.Protocol.Tests;

/// <summary>PduReader over the real byte streams of libiscsi talking to tgt (no digests).</summary>
public class PduFramingTests
{
    // (opcode, immediate, DataSegmentLength, ITT, CmdSN, ExpStatSN) — values from tshark's dissection.
    private static readonly (Opcode Op, bool Imm, int Dsl, uint Itt, uint CmdSN, uint ExpStatSN)[] DiscoveryC2S =
    {
        (Opcode.LoginRequest, true, 395, 0x341f9025, 1632392226, 1),
        (Opcode.TextRequest, true, 16, 0x341f9026, 1632392226, 1),
    };
    // (opcode, DataSegmentLength, ITT, StatSN, ExpCmdSN, MaxCmdSN)
    private static readonly (Opcode Op, int Dsl, uint Itt, uint StatSN, uint ExpCmdSN, uint MaxCmdSN)[] DiscoveryS2C =
    {
        (Opcode.LoginResponse, 300, 0x341f9025, 0, 1632392226, 1632392227),
        (Opcode.TextResponse, 130, 0x341f9026, 1, 1632392226, 1632392227),
    };

    private static readonly (Opcode Op, bool Imm, int Dsl, uint Itt, uint CmdSN, uint ExpStatSN)[] InquiryC2S =
    {
        (Opcode.LoginRequest, true, 122, 0x2a77dccf, 1812817262, 1),
        (Opcode.LoginRequest, true, 9, 0x2a77dccf, 1812817262, 1),
        (Opcode.LoginRequest, true, 57, 0x2a77dccf, 1812817262, 2),
        (Opcode.LoginRequest, true, 316, 0x2a77dccf, 1812817262, 3),
        (Opcode.ScsiCommand, false, 0, 0x2a77dcd0, 1812817262, 4),
        (Opcode.ScsiCommand, false, 0, 0x2a77dcd1, 1812817263, 5),
        (Opcode.ScsiCommand, false, 0, 0x2a77dcd2, 1812817264, 6),
        (Opcode.ScsiCommand, false, 0, 0x2a77dcd3, 1812817265, 7),
        (Opcode.LogoutRequest, true, 0, 0x2a77dcd4, 1812817266, 8),
    };

    private static readonly (Opcode Op, int Dsl, uint Itt, uint StatSN, uint ExpCmdSN, uint MaxCmdSN)[] InquiryS2C =
    {
        (Opcode.LoginResponse, 39, 0x2a77dccf, 0, 1812817262, 1812817263),
        (Opcode.LoginResponse, 128, 0x2a77dccf, 1, 1812817262, 1812817263),
        (Opcode.LoginResponse, 0, 0x2a77dccf, 2, 1812817262, 1812817263),
        (Opcode.LoginResponse, 277, 0x2a77dccf, 3, 1812817262, 1812817263),
        (Opcode.ScsiResponse, 20, 0x2a77dcd0, 4, 1812817263, 1812817391),
        (Opcode.ScsiResponse, 0, 0x2a77dcd1, 5, 1812817264, 1812817392),
        (Opcode.DataIn, 64, 0x2a77dcd2, 6, 1812817265, 1812817393),
        (Opcode.DataIn, 66, 0x2a77dcd3, 7, 1812817266, 1812817394),
        (Opcode.LogoutResponse, 0, 0x2a77dcd4, 8, 1812817266, 1812817394),
    };

    public static TheoryData<string> AllPlainStreams => new()
    {
        "discovery.0.c2s.bin", "discovery.0.s2c.bin", "discovery.1.c2s.bin", "discovery.1.s2c.bin",
        "inquiry-chap.0.c2s.bin", "inquiry-chap.0.s2c.bin",
        "chap-wrong-secret.0.c2s.bin", "chap-wrong-secret.0.s2c.bin",
        "kernel-login-chap-digests.0.c2s.bin", "kernel-login-chap-digests.0.s2c.bin",
    };

    private static void AssertInitiatorPdus(string file, (Opcode Op, bool Imm, int Dsl, uint Itt, uint CmdSN, uint ExpStatSN)[] expected)
    {
        var pdus = Framer.FrameAll(Captures.Load(file));
        Assert.Equal(expected.Length, pdus.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            var bhs = new Bhs(pdus[i].Header);
            var e = expected[i];
            Assert.Equal(e.Op, bhs.Opcode);
            Assert.Equal(e.Imm, bhs.Immediate);
            Assert.Equal(e.Dsl, bhs.DataSegmentLength);
            Assert.Equal(e.Dsl, pdus[i].Data.Length);
            Assert.Equal(0, bhs.TotalAhsLength);
            Assert.Equal(e.Itt, bhs.InitiatorTaskTag);
            Assert.Equal((e.CmdSN, e.ExpStatSN), pdus[i].InitiatorSequence);
            Assert.Equal(48 + ((e.Dsl + 3) & ~3), pdus[i].WireLength);
        }
    }

    private static void AssertTargetPdus(string file, (Opcode Op, int Dsl, uint Itt, uint StatSN, uint ExpCmdSN, uint MaxCmdSN)[] expected)
    {
        var pdus = Framer.FrameAll(Captures.Load(file));
        Assert.Equal(expected.Length, pdus.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            var bhs = new Bhs(pdus[i].Header);
            var e = expected[i];
            Assert.Equal(e.Op, bhs.Opcode);
            Assert.False(bhs.Immediate);
            Assert.Equal(e.Dsl, bhs.DataSegmentLength);
            Assert.Equal(e.Dsl, pdus[i].Data.Length);
            Assert.Equal(e.Itt, bhs.InitiatorTaskTag);
            Assert.Equal(new TargetSequenceNumbers(e.StatSN, e.ExpCmdSN, e.MaxCmdSN), pdus[i].TargetSequence);
        }
    }

    [Fact]
    public void Discovery_InitiatorToTarget() => AssertInitiatorPdus("discovery.0.c2s.bin", DiscoveryC2S);

    [Fact]
    public void Discovery_TargetToInitiator() => AssertTargetPdus("discovery.0.s2c.bin", DiscoveryS2C);

    [Fact]
    public void InquiryChap_InitiatorToTarget() => AssertInitiatorPdus("inquiry-chap.0.c2s.bin", InquiryC2S);

    [Fact]
    public void InquiryChap_TargetToInitiator() => AssertTargetPdus("inquiry-chap.0.s2c.bin", InquiryS2C);

    [Fact]
    public void InquiryChap_SequenceNumbersAdvanceAsTheRfcSays()
    {
        var c2s = Framer.FrameAll(Captures.Load("inquiry-chap.0.c2s.bin"));
        var s2c = Framer.FrameAll(Captures.Load("inquiry-chap.0.s2c.bin"));
        // Non-immediate commands take consecutive CmdSNs; immediate ones (login, logout) do not advance it.
        var nonImmediate = c2s.Where(p => !new Bhs(p.Header).Immediate).Select(p => p.InitiatorSequence.CmdSN).ToList();
        Assert.Equal(4, nonImmediate.Count);
        for (int i = 1; i < nonImmediate.Count; i++)
            Assert.Equal(nonImmediate[i - 1] + 1, nonImmediate[i]);
        // StatSN 0,1,2... on every status-bearing response, and ExpStatSN acknowledges it.
        var statSns = s2c.Select(p => p.TargetSequence.StatSN).ToArray();
        Assert.Equal(Enumerable.Range(0, statSns.Length).Select(i => (uint)i), statSns);
        // Every response answers the request at the same index (one outstanding request at a time here).
        Assert.Equal(c2s.Select(p => new Bhs(p.Header).InitiatorTaskTag), s2c.Select(p => new Bhs(p.Header).InitiatorTaskTag));
    }

    [Fact]
    public void InquiryChap_ScsiCommandCdbsAndDataInStatus()
    {
        var c2s = Framer.FrameAll(Captures.Load("inquiry-chap.0.c2s.bin"));
        var cdbOpcodes = c2s.Where(p => p.Opcode == Opcode.ScsiCommand).Select(p => ScsiCommandPdu.Decode(p.Header).Cdb[0]).ToArray();
        Assert.Equal(new byte[] { 0x00, 0x00, 0x12, 0x12 }, cdbOpcodes); // TEST UNIT READY x2, INQUIRY x2
        var s2c = Framer.FrameAll(Captures.Load("inquiry-chap.0.s2c.bin"));
        var dataIn = s2c.Where(p => p.Opcode == Opcode.DataIn).ToList();
        Assert.All(dataIn, p => Assert.Equal(0x81, p.Header[1])); // F and S (status) bits
        Assert.All(dataIn, p => Assert.Equal(Bhs.ReservedTag, DataInPdu.Decode(p.Header).TargetTransferTag));
        Assert.Equal("IET     VIRTUAL-DISK    0001", System.Text.Encoding.ASCII.GetString(dataIn[0].Data, 8, 28));
    }

    [Fact]
    public void ReadWrite_LargeDataSegmentsAndR2T()
    {
        // QEMU/libiscsi: WRITE with 8 KiB immediate data, R2T, Data-Out; READ answered by one 256 KiB Data-In.
        var c2s = Framer.FrameAll(Captures.Load("rw-headerdigest-chap.0.c2s.bin"));
        var s2c = Framer.FrameAll(Captures.Load("rw-headerdigest-chap.0.s2c.bin"));
        Assert.Contains(c2s, p => p.Opcode == Opcode.ScsiCommand && p.Data.Length == 8192);
        var dataOut = c2s.Where(p => p.Opcode == Opcode.DataOut).ToList();
        Assert.NotEmpty(dataOut);
        Assert.All(dataOut, p => Assert.Equal(8192, p.Data.Length));
        Assert.Contains(s2c, p => p.Opcode == Opcode.ReadyToTransfer);
        var big = Assert.Single(s2c, p => p.Opcode == Opcode.DataIn && p.Data.Length == 262144);
        Assert.Equal(48 + 262144, big.WireLength);
        // Data-Out buffer offsets ascend by the segment size within each burst.
        var offsets = dataOut.Select(p => DataOutPdu.Decode(p.Header).BufferOffset).ToArray();
        for (int i = 1; i < offsets.Length; i++)
            Assert.True(offsets[i] == offsets[i - 1] + 8192 || DataOutPdu.Decode(dataOut[i].Header).DataSN == 0);
    }

    [Fact]
    public void ReadWrite_DataSegmentAboveLimitThrowsBeforeThePayloadArrives()
    {
        var s2c = Captures.Load("rw-headerdigest-chap.0.s2c.bin");
        var pdus = Framer.FrameAll(s2c);
        var big = pdus.Single(p => p.Data.Length == 262144);
        // Only the BHS has arrived: the limit must already be enforced.
        var headerOnly = new ReadOnlySequence<byte>(s2c, (int)big.Offset, 48);
        var ex = Assert.Throws<PduFormatException>(() =>
            PduReader.TryRead(headerOnly, new PduLimits(262143, false, false), out _, out _));
        Assert.Equal(PduError.DataSegmentTooLong, ex.Error);
        // Exactly at the limit is fine (and needs the payload).
        Assert.False(PduReader.TryRead(headerOnly, new PduLimits(262144, false, false), out _, out _));
    }

    [Theory]
    [MemberData(nameof(AllPlainStreams))]
    public void ConcatenatedFramesReproduceTheStream(string file)
    {
        var stream = Captures.Load(file);
        var pdus = Framer.FrameAll(stream);
        Assert.NotEmpty(pdus);
        var rebuilt = new List<byte>();
        long expectedOffset = 0;
        foreach (var p in pdus)
        {
            Assert.Equal(expectedOffset, p.Offset);
            rebuilt.AddRange(p.Header);
            rebuilt.AddRange(p.Ahs);
            rebuilt.AddRange(p.Data);
            int pad = (4 - (p.Data.Length & 3)) & 3;
            Assert.Equal(48 + p.Ahs.Length + p.Data.Length + pad, p.WireLength);
            // The padding on the wire is there and is what the stream holds.
            rebuilt.AddRange(stream.AsSpan((int)(p.Offset + 48 + p.Ahs.Length + p.Data.Length), pad).ToArray());
            expectedOffset += p.WireLength;
        }
        Assert.Equal(stream, rebuilt.ToArray());
    }

    [Theory]
    [MemberData(nameof(AllPlainStreams))]
    public void SplitIntoTwoSegmentsAtEveryByteBoundary_FramesTheSamePdus(string file)
    {
        var stream = Captures.Load(file);
        var reference = Framer.FrameAll(stream);
        for (int cut = 1; cut < stream.Length; cut++)
        {
            var seq = Sequences.SplitAt(stream, cut);
            Assert.False(seq.IsSingleSegment);
            var pdus = Framer.FrameAll(seq, PduLimits.Login with { MaxRecvDataSegmentLength = 262144 },
                new PduLimits(262144, false, false), out var consumed);
            Assert.Equal(stream.Length, consumed);
            Framer.AssertSame(reference, pdus);
        }
    }

    [Theory]
    [MemberData(nameof(AllPlainStreams))]
    public void OneByteSegmentsAndRandomSegments_FrameTheSamePdus(string file)
    {
        var stream = Captures.Load(file);
        var reference = Framer.FrameAll(stream);
        var limits = new PduLimits(262144, false, false);
        foreach (var seq in new[] { Sequences.Chunked(stream, 1), Sequences.Chunked(stream, 3), Sequences.RandomChunks(stream, 50, 7) })
        {
            var pdus = Framer.FrameAll(seq, limits, limits, out var consumed);
            Assert.Equal(stream.Length, consumed);
            Framer.AssertSame(reference, pdus);
        }
    }

    [Theory]
    [MemberData(nameof(AllPlainStreams))]
    public void EveryPrefix_FramesOnlyTheCompletePdus(string file)
    {
        // Simulates bytes arriving one at a time: TryRead must say "need more" until a PDU is complete.
        var stream = Captures.Load(file);
        var reference = Framer.FrameAll(stream);
        var limits = new PduLimits(262144, false, false);
        for (int n = 0; n <= stream.Length; n++)
        {
            var pdus = Framer.FrameAll(new ReadOnlySequence<byte>(stream, 0, n), limits, limits, out var consumed);
            var complete = reference.Where(p => p.Offset + p.WireLength <= n).ToList();
            Assert.Equal(complete.Count, pdus.Count);
            Assert.Equal(complete.Count == 0 ? 0 : complete[^1].Offset + complete[^1].WireLength, consumed);
        }
    }

    [Fact]
    public void ParseAtAnOffset_InsideALargerBuffer()
    {
        var stream = Captures.Load("inquiry-chap.0.s2c.bin");
        var reference = Framer.FrameAll(stream);
        var padded = new byte[stream.Length + 13 + 9];
        Array.Fill(padded, (byte)0xEE);
        stream.CopyTo(padded, 13);
        var seq = new ReadOnlySequence<byte>(padded, 13, stream.Length);
        var limits = new PduLimits(8192, false, false);
        var pdus = Framer.FrameAll(seq, limits, limits, out var consumed);
        Assert.Equal(stream.Length, consumed);
        Framer.AssertSame(reference, pdus);
    }

    [Fact]
    public void TryRead_ReturnsFalseBelowOneBhs()
    {
        var stream = Captures.Load("discovery.0.c2s.bin");
        for (int n = 0; n < 48; n++)
            Assert.False(PduReader.TryRead(new ReadOnlySequence<byte>(stream, 0, n), PduLimits.Login, out _, out _));
    }

    [Fact]
    public void LoginLimit_IsTheRfcDefault8192()
    {
        Assert.Equal(new PduLimits(8192, false, false), PduLimits.Login);
        var bhs = new byte[48];
        new LoginRequestPdu { Transit = true, CurrentStage = LoginStage.LoginOperationalNegotiation, NextStage = LoginStage.FullFeaturePhase }
            .Encode(bhs, 8193);
        var ex = Assert.Throws<PduFormatException>(() => PduReader.TryRead(new ReadOnlySequence<byte>(bhs), PduLimits.Login, out _, out _));
        Assert.Equal(PduError.DataSegmentTooLong, ex.Error);
    }

    [Fact]
    public void AhsIsFramedAndCountedInWords()
    {
        // A SCSI Command with a 20-byte extended-CDB AHS (TotalAHSLength = 5 words) and 5 data bytes.
        var pdu = new byte[48 + 20 + 8 + 4];
        new ScsiCommandPdu { Final = true }.Encode(pdu, 5);
        pdu[4] = 5; // TotalAHSLength (the typed PDUs send no AHS, so it is set by hand)
        for (int i = 0; i < 20; i++) pdu[48 + i] = (byte)(0xA0 + i);
        for (int i = 0; i < 5; i++) pdu[68 + i] = (byte)(i + 1);
        pdu[^1] = 0x99; // the start of the next PDU
        Assert.True(PduReader.TryRead(new ReadOnlySequence<byte>(pdu), PduLimits.Login, out var frame, out var ok));
        Assert.True(ok);
        Assert.Equal(20, frame.Ahs.Length);
        Assert.Equal(0xA0, frame.Ahs.FirstSpan[0]);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, frame.Data.ToArray());
        Assert.Equal(48 + 20 + 8, new ReadOnlySequence<byte>(pdu).Slice(0, frame.End).Length);
        Assert.False(PduReader.TryRead(new ReadOnlySequence<byte>(pdu, 0, pdu.Length - 5), PduLimits.Login, out _, out _));
    }
}
