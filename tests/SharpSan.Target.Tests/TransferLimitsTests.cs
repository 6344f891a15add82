using SharpSan.Protocol;

namespace SharpSan.Target.Tests;

/// <summary>The negotiated limits applied in one place (RFC 7143 §13.12-§13.14, §13.17).</summary>
public sealed class TransferLimitsTests
{
    private static TransferLimits Limits(int peerMrdsl = 8192, int ourMrdsl = 262144, int maxBurst = 262144,
        int firstBurst = 65536, int maxR2T = 1, int maxTransfer = 8 * 1024 * 1024, bool headerDigest = false, bool dataDigest = false) =>
        new(new OperationalParameters
        {
            PeerMaxRecvDataSegmentLength = peerMrdsl,
            MaxRecvDataSegmentLength = ourMrdsl,
            MaxBurstLength = maxBurst,
            FirstBurstLength = firstBurst,
            MaxOutstandingR2T = maxR2T,
            HeaderDigest = headerDigest,
            DataDigest = dataDigest,
        }, maxTransfer);

    [Fact]
    public void Receive_IsOurDeclarationWithTheNegotiatedDigests()
    {
        var l = Limits(ourMrdsl: 16384, headerDigest: true, dataDigest: false);
        Assert.Equal(new PduLimits(16384, true, false), l.Receive);
    }

    [Theory]
    [InlineData(8 * 1024 * 1024, false)]
    [InlineData(8 * 1024 * 1024 + 1, true)]
    [InlineData(0, false)]
    public void ExceedsMaxTransfer_ComparesWithTheConfiguredMaximum(int transferLength, bool exceeds) =>
        Assert.Equal(exceeds, Limits().ExceedsMaxTransfer(transferLength));

    [Theory]
    [InlineData(100, 100)]
    [InlineData(8192, 8192)]
    [InlineData(8193, 8192)]
    [InlineData(1L << 40, 8192)]
    public void ClampToPeerSegment_NeverExceedsThePeersMaxRecvDataSegmentLength(long length, int expected) =>
        Assert.Equal(expected, Limits(peerMrdsl: 8192).ClampToPeerSegment(length));

    [Theory]
    // F=1: only the immediate data is unsolicited.
    [InlineData(true, 4096, 1048576u, 4096)]
    [InlineData(true, 0, 1048576u, 0)]
    // F=0: up to FirstBurstLength, or EDTL when that is smaller (§13.14).
    [InlineData(false, 4096, 1048576u, 65536)]
    [InlineData(false, 4096, 16384u, 16384)]
    [InlineData(false, 0, 0xFFFFFFFFu, 65536)]
    public void UnsolicitedLength_FollowsTheFinalBitAndFirstBurstLength(bool final, int immediate, uint edtl, int expected) =>
        Assert.Equal(expected, Limits(firstBurst: 65536).UnsolicitedLength(final, immediate, edtl));

    [Theory]
    [InlineData(0, 1048576, 262144)]
    [InlineData(1048576 - 1000, 1048576, 1000)]
    [InlineData(65536, 100000, 34464)]
    public void R2TLength_IsAtMostMaxBurstLength(int offset, int want, int expected) =>
        Assert.Equal(expected, Limits(maxBurst: 262144).R2TLength(offset, want));

    [Fact]
    public void DataIn_SegmentIsThePeersLimitButNeverCrossesABurst()
    {
        // Peer accepts 256 KiB per PDU, but a sequence is at most 96 KiB: each PDU ends at a burst boundary.
        var l = Limits(peerMrdsl: 262144, maxBurst: 98304);
        Assert.Equal(98304, l.DataInSegment);
        int offset = 0, burstStart = 0, pdus = 0;
        const int total = 250000;
        while (offset < total)
        {
            int length = l.NextDataInLength(offset, burstStart, total);
            Assert.True(length > 0 && length <= l.DataInSegment);
            Assert.True(offset + length - burstStart <= l.MaxBurstLength);
            bool end = l.EndsDataInSequence(offset, length, burstStart, total);
            offset += length;
            if (end) burstStart = offset;
            pdus++;
        }
        Assert.Equal(total, offset);
        Assert.Equal(3, pdus);
        Assert.Equal(3, l.CountDataInPdus(total, 16));
    }

    [Fact]
    public void DataIn_SegmentsSmallerThanABurstEndTheSequenceAtTheBurst()
    {
        // 8 KiB PDUs, 20 KiB bursts: 8 + 8 + 4 (F), 8 + 8 + 4 (F), ...
        var l = Limits(peerMrdsl: 8192, maxBurst: 20480);
        var lengths = new List<int>();
        var finals = new List<bool>();
        int offset = 0, burstStart = 0;
        const int total = 40960 + 100;
        while (offset < total)
        {
            int length = l.NextDataInLength(offset, burstStart, total);
            bool end = l.EndsDataInSequence(offset, length, burstStart, total);
            lengths.Add(length);
            finals.Add(end);
            offset += length;
            if (end) burstStart = offset;
        }
        Assert.Equal(new[] { 8192, 8192, 4096, 8192, 8192, 4096, 100 }, lengths);
        Assert.Equal(new[] { false, false, true, false, false, true, true }, finals);
        Assert.Equal(7, l.CountDataInPdus(total, 16));
    }

    [Fact]
    public void CountDataInPdus_StopsOnePastTheLimit()
    {
        var l = Limits(peerMrdsl: 512, maxBurst: 262144);
        Assert.Equal(17, l.CountDataInPdus(1 << 20, 16));
        Assert.Equal(16, l.CountDataInPdus(16 * 512, 16));
    }
}
