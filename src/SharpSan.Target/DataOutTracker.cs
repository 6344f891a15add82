
namespace SharpSan.Target;

/// <summary>
/// The Data-Out side of one write command (RFC 7143 §11.7, §11.8): immediate and unsolicited data
/// (§13.10, §13.11, §13.14), the R2Ts that solicit the rest (at most MaxOutstandingR2T in flight, each
/// at most MaxBurstLength), and the checks on every Data-Out PDU (its offset inside what was asked
/// for, its DataSN in order). Pure bookkeeping: the caller moves the bytes and sends the PDUs.
/// One per pooled <see cref="IscsiTask"/>, reset with it.
/// </summary>
internal sealed class DataOutTracker
{
    /// <summary>One outstanding R2T (§11.8): the burst it solicits and how much of it arrived.</summary>
    private struct R2TRecord
    {
        public uint TargetTransferTag;
        public int Offset;
        public int Length;
        public int Received;
        public uint NextDataSN;
        public bool Active;
    }

    private R2TRecord[] _r2ts = new R2TRecord[4];
    private uint _unsolicitedNextDataSN;
    private uint _nextR2TSN;

    /// <summary>Bytes of Data-Out we keep: min(ExpectedDataTransferLength, CDB transfer length).</summary>
    public int Want { get; private set; }
    /// <summary>Bytes of [0, Want) received so far.</summary>
    public int Received { get; private set; }
    /// <summary>Unsolicited bytes the initiator will send (§13.10, §13.11): immediate plus unsolicited Data-Out.</summary>
    public int UnsolicitedExpected { get; private set; }
    public int UnsolicitedReceived { get; private set; }
    public bool UnsolicitedDone { get; private set; }
    /// <summary>Where the next R2T starts.</summary>
    public int NextR2TOffset { get; private set; }
    public int OutstandingR2T { get; private set; }

    /// <summary>True when all the data to keep arrived and no unsolicited PDU is still due.</summary>
    public bool DataComplete => Received >= Want && (UnsolicitedDone || UnsolicitedReceived >= UnsolicitedExpected);

    /// <summary>
    /// Starts a write of <paramref name="want"/> bytes whose command carried <paramref name="immediateLength"/>
    /// bytes of immediate data. F=1 on the command means no unsolicited Data-Out follows; otherwise the
    /// initiator sends up to FirstBurstLength (or EDTL) unsolicited, and R2Ts solicit from there.
    /// Returns how many immediate bytes to keep (those inside [0, want)).
    /// </summary>
    public int Begin(int want, int immediateLength, bool final, uint expectedDataTransferLength, TransferLimits limits)
    {
        Want = want;
        int keep = Math.Min(immediateLength, want);
        Received = keep;
        UnsolicitedReceived = immediateLength;
        int unsolicitedEnd = limits.UnsolicitedLength(final, immediateLength, expectedDataTransferLength);
        UnsolicitedExpected = unsolicitedEnd;
        UnsolicitedDone = final;
        NextR2TOffset = Math.Min(unsolicitedEnd, want);
        return keep;
    }

    /// <summary>True when another R2T may go out: data still unsolicited and fewer than MaxOutstandingR2T in flight.</summary>
    public bool NeedsR2T(TransferLimits limits) => OutstandingR2T < limits.MaxOutstandingR2T && NextR2TOffset < Want;

    /// <summary>Records the next R2T (call only when <see cref="NeedsR2T"/>), tagged <paramref name="targetTransferTag"/>.</summary>
    public void IssueR2T(uint targetTransferTag, TransferLimits limits, out uint r2tsn, out int offset, out int length)
    {
        length = limits.R2TLength(NextR2TOffset, Want);
        int slot = FreeSlot(limits.MaxOutstandingR2T);
        ref var r = ref _r2ts[slot];
        r.Active = true;
        r.TargetTransferTag = targetTransferTag;
        r.Offset = NextR2TOffset;
        r.Length = length;
        r.Received = 0;
        r.NextDataSN = 0;
        offset = NextR2TOffset;
        NextR2TOffset += length;
        OutstandingR2T++;
        r2tsn = _nextR2TSN++;
    }

    private int FreeSlot(int max)
    {
        for (int i = 0; i < _r2ts.Length; i++)
            if (!_r2ts[i].Active) return i;
        int old = _r2ts.Length;
        Array.Resize(ref _r2ts, Math.Max(old * 2, Math.Min(max, 64)));
        return old;
    }

    /// <summary>
    /// Checks and counts one Data-Out PDU: unsolicited (TTT 0xffffffff) or answering one of our R2Ts.
    /// On <see cref="DataOutVerdict.Accepted"/>, <paramref name="keep"/> bytes of its data belong at
    /// <paramref name="offset"/> (an initiator may send more than the CDB needs: only [0, Want) is kept).
    /// </summary>
    public DataOutVerdict Accept(uint targetTransferTag, uint dataSN, long offset, int length, bool final, out int keep)
    {
        keep = 0;
        if (targetTransferTag == Bhs.ReservedTag)
        {
            // Unsolicited data may not go past what the initiator was allowed to send unsolicited.
            if (UnsolicitedDone || offset + length > UnsolicitedExpected) return DataOutVerdict.ProtocolError;
            if (dataSN != _unsolicitedNextDataSN++) return DataOutVerdict.SequenceError;
            UnsolicitedReceived += length;
            if (final) UnsolicitedDone = true;
        }
        else
        {
            int slot = -1;
            for (int i = 0; i < _r2ts.Length; i++)
            {
                if (_r2ts[i].Active && _r2ts[i].TargetTransferTag == targetTransferTag)
                {
                    slot = i;
                    break;
                }
            }
            if (slot < 0) return DataOutVerdict.InvalidField;
            ref var r = ref _r2ts[slot];
            if (offset < r.Offset || offset + length > r.Offset + r.Length) return DataOutVerdict.InvalidField;
            // §11.7.5: DataSN counts from 0 within each R2T's sequence.
            if (dataSN != r.NextDataSN++) return DataOutVerdict.SequenceError;
            r.Received += length;
            if (r.Received >= r.Length || final)
            {
                r.Active = false;
                OutstandingR2T--;
            }
        }

        if (offset < Want)
        {
            keep = (int)Math.Min(length, Want - offset);
            Received += keep;
        }
        return DataOutVerdict.Accepted;
    }

    public void Reset()
    {
        Array.Clear(_r2ts);
        Want = Received = UnsolicitedExpected = UnsolicitedReceived = 0;
        UnsolicitedDone = false;
        _unsolicitedNextDataSN = 0;
        NextR2TOffset = 0;
        _nextR2TSN = 0;
        OutstandingR2T = 0;
    }
}
