using SharpSan.Protocol;

namespace SharpSan.Target.Tests;

/// <summary>A write's Data-Out bookkeeping (RFC 7143 §11.7, §11.8, §13.10-§13.17) without a socket.</summary>
public sealed class DataOutTrackerTests
{
    private const uint None = Bhs.ReservedTag;

    private static TransferLimits Limits(int firstBurst = 65536, int maxBurst = 262144, int maxR2T = 1) =>
        new(new OperationalParameters
        {
            FirstBurstLength = firstBurst,
            MaxBurstLength = maxBurst,
            MaxOutstandingR2T = maxR2T,
        }, 8 * 1024 * 1024);

    /// <summary>Issues every R2T the tracker wants now; returns (ttt, offset, length, r2tsn) for each.</summary>
    private static List<(uint Ttt, int Offset, int Length, uint R2TSN)> IssueAll(DataOutTracker t, TransferLimits limits, ref uint nextTtt)
    {
        var issued = new List<(uint, int, int, uint)>();
        while (t.NeedsR2T(limits))
        {
            uint ttt = nextTtt++;
            t.IssueR2T(ttt, limits, out uint r2tsn, out int offset, out int length);
            issued.Add((ttt, offset, length, r2tsn));
        }
        return issued;
    }

    [Fact]
    public void ImmediateDataWithFinal_IsCompleteAtOnce()
    {
        var t = new DataOutTracker();
        int keep = t.Begin(want: 4096, immediateLength: 4096, final: true, expectedDataTransferLength: 4096, Limits());
        Assert.Equal(4096, keep);
        Assert.True(t.DataComplete);
        Assert.False(t.NeedsR2T(Limits()));
    }

    [Fact]
    public void ImmediateData_BeyondWantIsNotKept()
    {
        var t = new DataOutTracker();
        int keep = t.Begin(want: 512, immediateLength: 4096, final: true, expectedDataTransferLength: 4096, Limits());
        Assert.Equal(512, keep);
        Assert.True(t.DataComplete);
    }

    [Fact]
    public void UnsolicitedDataOut_UpToFirstBurst_ThenR2TsForTheRest()
    {
        var limits = Limits(firstBurst: 65536, maxBurst: 262144, maxR2T: 1);
        var t = new DataOutTracker();
        // 1 MiB write, 8 KiB immediate, F=0: the initiator sends up to 64 KiB unsolicited.
        Assert.Equal(8192, t.Begin(1048576, 8192, final: false, 1048576, limits));
        Assert.Equal(65536, t.UnsolicitedExpected);
        Assert.Equal(65536, t.NextR2TOffset);
        Assert.False(t.DataComplete);

        uint ttt = 100;
        var r2ts = IssueAll(t, limits, ref ttt);
        // MaxOutstandingR2T = 1: one R2T of MaxBurstLength from the end of the unsolicited data.
        Assert.Single(r2ts);
        Assert.Equal((100u, 65536, 262144, 0u), r2ts[0]);

        // The unsolicited Data-Out: DataSN 0.., offsets within [8 KiB, 64 KiB), F on the last.
        Assert.Equal(DataOutVerdict.Accepted, t.Accept(None, 0, 8192, 28672, final: false, out int keep));
        Assert.Equal(28672, keep);
        Assert.Equal(DataOutVerdict.Accepted, t.Accept(None, 1, 36864, 28672, final: true, out keep));
        Assert.True(t.UnsolicitedDone);

        // The solicited burst in two PDUs; the R2T retires at its last byte.
        Assert.Equal(DataOutVerdict.Accepted, t.Accept(100, 0, 65536, 131072, final: false, out _));
        Assert.Equal(1, t.OutstandingR2T);
        Assert.Equal(DataOutVerdict.Accepted, t.Accept(100, 1, 196608, 131072, final: true, out _));
        Assert.Equal(0, t.OutstandingR2T);

        r2ts = IssueAll(t, limits, ref ttt);
        Assert.Equal(new[] { (101u, 327680, 262144, 1u) }, r2ts);
        Assert.Equal(DataOutVerdict.Accepted, t.Accept(101, 0, 327680, 262144, final: true, out _));
        r2ts = IssueAll(t, limits, ref ttt);
        Assert.Equal(new[] { (102u, 589824, 262144, 2u) }, r2ts);
        Assert.Equal(DataOutVerdict.Accepted, t.Accept(102, 0, 589824, 262144, final: true, out _));
        r2ts = IssueAll(t, limits, ref ttt);
        // The last burst is what is left: 1 MiB - 832 KiB.
        Assert.Equal(new[] { (103u, 851968, 196608, 3u) }, r2ts);
        Assert.False(t.DataComplete);
        Assert.Equal(DataOutVerdict.Accepted, t.Accept(103, 0, 851968, 196608, final: true, out _));
        Assert.True(t.DataComplete);
        Assert.Equal(1048576, t.Received);
        Assert.False(t.NeedsR2T(limits));
    }

    [Fact]
    public void MaxOutstandingR2T_BoundsR2TsInFlight_AndSlotsAreReused()
    {
        var limits = Limits(firstBurst: 65536, maxBurst: 65536, maxR2T: 3);
        var t = new DataOutTracker();
        t.Begin(10 * 65536, 0, final: true, 10 * 65536, limits);
        uint ttt = 1;
        var first = IssueAll(t, limits, ref ttt);
        Assert.Equal(3, first.Count);
        Assert.Equal(3, t.OutstandingR2T);
        Assert.Equal(new[] { 0, 65536, 131072 }, first.Select(r => r.Offset));
        Assert.Equal(new[] { 0u, 1u, 2u }, first.Select(r => r.R2TSN));

        // Answering the second R2T frees one slot: exactly one more R2T goes out.
        Assert.Equal(DataOutVerdict.Accepted, t.Accept(first[1].Ttt, 0, 65536, 65536, final: true, out _));
        var next = IssueAll(t, limits, ref ttt);
        Assert.Single(next);
        Assert.Equal(196608, next[0].Offset);
        Assert.Equal(3u, next[0].R2TSN);
        Assert.Equal(3, t.OutstandingR2T);
    }

    [Fact]
    public void ManyOutstandingR2Ts_GrowTheSlotTable()
    {
        var limits = Limits(maxBurst: 4096, maxR2T: 16);
        var t = new DataOutTracker();
        t.Begin(64 * 4096, 0, final: true, 64 * 4096, limits);
        uint ttt = 1;
        var issued = IssueAll(t, limits, ref ttt);
        Assert.Equal(16, issued.Count);
        // Every one of them is still recognised by its tag.
        foreach (var r in issued)
            Assert.Equal(DataOutVerdict.Accepted, t.Accept(r.Ttt, 0, r.Offset, r.Length, final: true, out _));
        Assert.Equal(0, t.OutstandingR2T);
    }

    [Fact]
    public void UnsolicitedData_AfterFinalOrBeyondTheAllowance_IsAProtocolError()
    {
        var limits = Limits(firstBurst: 8192);
        var t = new DataOutTracker();
        t.Begin(65536, 0, final: false, 65536, limits);
        Assert.Equal(DataOutVerdict.ProtocolError, t.Accept(None, 0, 4096, 8192, final: false, out int keep));
        Assert.Equal(0, keep);
        Assert.Equal(DataOutVerdict.Accepted, t.Accept(None, 0, 0, 8192, final: true, out _));
        Assert.Equal(DataOutVerdict.ProtocolError, t.Accept(None, 1, 8192, 1, final: true, out _));

        var f = new DataOutTracker();
        f.Begin(65536, 4096, final: true, 65536, limits);
        // F=1 on the command: no unsolicited Data-Out may follow.
        Assert.Equal(DataOutVerdict.ProtocolError, f.Accept(None, 0, 4096, 512, final: true, out _));
    }

    [Fact]
    public void UnknownTagOrDataOutsideTheBurst_IsAnInvalidField()
    {
        var limits = Limits(maxBurst: 65536, maxR2T: 1);
        var t = new DataOutTracker();
        t.Begin(131072, 0, final: true, 131072, limits);
        t.IssueR2T(7, limits, out _, out int offset, out int length);
        Assert.Equal(DataOutVerdict.InvalidField, t.Accept(8, 0, offset, 512, final: false, out _));
        Assert.Equal(DataOutVerdict.InvalidField, t.Accept(7, 0, offset + length - 256, 512, final: false, out _));
        Assert.Equal(DataOutVerdict.InvalidField, t.Accept(7, 0, length, 512, final: false, out _));
        Assert.Equal(DataOutVerdict.Accepted, t.Accept(7, 0, offset, 512, final: false, out _));
    }

    [Fact]
    public void DataSN_OutOfOrder_IsASequenceError_PerR2TAndUnsolicited()
    {
        var limits = Limits(firstBurst: 65536, maxBurst: 65536, maxR2T: 2);
        var t = new DataOutTracker();
        t.Begin(262144, 0, final: false, 262144, limits);
        Assert.Equal(DataOutVerdict.SequenceError, t.Accept(None, 1, 0, 4096, final: false, out _));

        var r = new DataOutTracker();
        r.Begin(262144, 0, final: true, 262144, limits);
        uint ttt = 1;
        var issued = IssueAll(r, limits, ref ttt);
        Assert.Equal(2, issued.Count);
        // §11.7.5: each R2T's sequence counts DataSN from 0.
        Assert.Equal(DataOutVerdict.Accepted, r.Accept(issued[0].Ttt, 0, 0, 4096, final: false, out _));
        Assert.Equal(DataOutVerdict.Accepted, r.Accept(issued[1].Ttt, 0, 65536, 4096, final: false, out _));
        Assert.Equal(DataOutVerdict.Accepted, r.Accept(issued[0].Ttt, 1, 4096, 4096, final: false, out _));
        Assert.Equal(DataOutVerdict.SequenceError, r.Accept(issued[1].Ttt, 2, 69632, 4096, final: false, out _));
    }

    [Fact]
    public void DataBeyondWant_IsAcceptedButNotKept()
    {
        // EDTL 8 KiB but the CDB moves 4 KiB: the initiator sends 8 KiB, we keep 4 KiB.
        var limits = Limits(firstBurst: 65536);
        var t = new DataOutTracker();
        t.Begin(4096, 0, final: false, 8192, limits);
        Assert.Equal(8192, t.UnsolicitedExpected);
        Assert.Equal(DataOutVerdict.Accepted, t.Accept(None, 0, 2048, 4096, final: false, out int keep));
        Assert.Equal(2048, keep);
        Assert.False(t.DataComplete);
        Assert.Equal(DataOutVerdict.Accepted, t.Accept(None, 1, 6144, 2048, final: true, out keep));
        Assert.Equal(0, keep);
        Assert.False(t.DataComplete); // [0, 2048) has not come yet
    }

    [Fact]
    public void Reset_ForgetsEverything()
    {
        var limits = Limits(maxBurst: 4096, maxR2T: 4);
        var t = new DataOutTracker();
        t.Begin(65536, 1024, final: true, 65536, limits);
        uint ttt = 1;
        Assert.Equal(4, IssueAll(t, limits, ref ttt).Count);
        t.Reset();
        Assert.Equal(0, t.Want);
        Assert.Equal(0, t.Received);
        Assert.Equal(0, t.OutstandingR2T);
        Assert.Equal(0, t.NextR2TOffset);
        Assert.True(t.DataComplete);
        // The next command starts its R2TSN and DataSN at 0 again, and old tags are gone.
        t.Begin(8192, 0, final: true, 8192, limits);
        Assert.Equal(DataOutVerdict.InvalidField, t.Accept(1, 0, 0, 4096, final: true, out _));
        t.IssueR2T(50, limits, out uint r2tsn, out _, out _);
        Assert.Equal(0u, r2tsn);
    }
}
