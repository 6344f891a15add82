
namespace SharpSan.Target;

/// <summary>
/// The transfer limits of one connection in full feature phase, and the one place they are applied:
/// what fits in one PDU each way (MaxRecvDataSegmentLength, §13.12), how much data the initiator may
/// send unsolicited (FirstBurstLength, §13.14) and per solicited burst (MaxBurstLength, §13.13), how
/// many R2Ts may be outstanding (MaxOutstandingR2T, §13.17), how Data-In is cut into PDUs and
/// sequences, and the largest command we accept (<see cref="TargetOptions.MaxTransferBytes"/>).
/// Built once when the connection enters full feature phase.
/// </summary>
internal sealed class TransferLimits
{
    public TransferLimits(OperationalParameters parameters, int maxTransferBytes)
    {
        MaxRecvDataSegmentLength = parameters.MaxRecvDataSegmentLength;
        PeerMaxRecvDataSegmentLength = parameters.PeerMaxRecvDataSegmentLength;
        FirstBurstLength = parameters.FirstBurstLength;
        MaxBurstLength = parameters.MaxBurstLength;
        MaxOutstandingR2T = parameters.MaxOutstandingR2T;
        MaxTransferBytes = maxTransferBytes;
        DataInSegment = Math.Min(PeerMaxRecvDataSegmentLength, MaxBurstLength);
        Receive = new PduLimits(parameters.MaxRecvDataSegmentLength, parameters.HeaderDigest, parameters.DataDigest);
    }

    /// <summary>What we accept in one PDU (our declaration).</summary>
    public int MaxRecvDataSegmentLength { get; }
    /// <summary>What we may send in one PDU (the initiator's declaration).</summary>
    public int PeerMaxRecvDataSegmentLength { get; }
    public int FirstBurstLength { get; }
    public int MaxBurstLength { get; }
    public int MaxOutstandingR2T { get; }
    public int MaxTransferBytes { get; }
    /// <summary>The data of one Data-In PDU: at most the initiator's MaxRecvDataSegmentLength, and a
    /// sequence is at most MaxBurstLength.</summary>
    public int DataInSegment { get; }
    /// <summary>What the receive side enforces on every incoming PDU (the reader rejects a longer data segment).</summary>
    public PduLimits Receive { get; }

    /// <summary>True when a command moves more than we accept in one command (the maximum transfer
    /// length reported in the Block Limits VPD page).</summary>
    public bool ExceedsMaxTransfer(int transferLength) => transferLength > MaxTransferBytes;

    /// <summary>Bytes of a reply that fit one PDU to the initiator (NOP-In echo, a piece of a text response).</summary>
    public int ClampToPeerSegment(long length) => (int)Math.Min(length, PeerMaxRecvDataSegmentLength);

    /// <summary>
    /// Where the unsolicited data of a write ends (§13.10, §13.11, §13.14): with F=1 on the command only
    /// the immediate data comes; otherwise the initiator sends up to FirstBurstLength (or EDTL, when
    /// smaller) without waiting for an R2T.
    /// </summary>
    public int UnsolicitedLength(bool final, int immediateLength, uint expectedDataTransferLength) =>
        final ? immediateLength : (int)Math.Min((uint)FirstBurstLength, expectedDataTransferLength);

    /// <summary>Length of the R2T that solicits data from <paramref name="offset"/>: at most MaxBurstLength (§11.8, §13.13).</summary>
    public int R2TLength(int offset, int want) => Math.Min(MaxBurstLength, want - offset);

    /// <summary>Length of the Data-In PDU at <paramref name="offset"/>: at most a segment, and never across a
    /// MaxBurstLength boundary (§13.13: a sequence is at most MaxBurstLength).</summary>
    public int NextDataInLength(int offset, int burstStart, int total) =>
        Math.Min(Math.Min(DataInSegment, total - offset), burstStart + MaxBurstLength - offset);

    /// <summary>True when the Data-In PDU [offset, offset + length) ends its sequence (F bit): the last one,
    /// or the one that reaches MaxBurstLength.</summary>
    public bool EndsDataInSequence(int offset, int length, int burstStart, int total) =>
        offset + length == total || offset + length - burstStart >= MaxBurstLength;

    /// <summary>How many Data-In PDUs <paramref name="total"/> bytes take, counting no further than one past
    /// <paramref name="limit"/>.</summary>
    public int CountDataInPdus(int total, int limit)
    {
        int count = 0, offset = 0, burstStart = 0;
        while (offset < total && count <= limit)
        {
            int length = NextDataInLength(offset, burstStart, total);
            bool burstEnd = EndsDataInSequence(offset, length, burstStart, total);
            offset += length;
            if (burstEnd) burstStart = offset;
            count++;
        }
        return count;
    }
}
