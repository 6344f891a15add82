namespace SharpSan.Scsi.ExtendedCopy;

/// <summary>COPY MANAGER STATUS of RECEIVE COPY RESULTS COPY STATUS (SPC-4 6.18.2, table 368).</summary>
internal enum CopyManagerStatus : byte
{
    InProgress = 0x00,
    CompletedGood = 0x01,
    CompletedWithErrors = 0x02,
}

/// <summary>
/// One EXTENDED COPY as RECEIVE COPY RESULTS reports it (SPC-4 6.18): its progress while it runs (read
/// by other commands of the nexus, so the counters are written with volatile semantics), then its final
/// status and, when it failed, the sense data for FAILED SEGMENT DETAILS.
/// </summary>
internal sealed class CopyOperation
{
    private volatile CopyManagerStatus _status;
    private int _segmentsProcessed;
    private long _bytesTransferred;

    public CopyOperation(byte listId, ListIdUsage usage, long sequence)
    {
        ListId = listId;
        Usage = usage;
        Sequence = sequence;
    }

    public byte ListId { get; }
    public ListIdUsage Usage { get; }

    /// <summary>Order of arrival, to evict the oldest held results first.</summary>
    public long Sequence { get; }

    public CopyManagerStatus Status => _status;
    public int SegmentsProcessed => Volatile.Read(ref _segmentsProcessed);
    public long BytesTransferred => Interlocked.Read(ref _bytesTransferred);

    /// <summary>The SCSI status the EXTENDED COPY ended with and its sense data (FAILED SEGMENT DETAILS).</summary>
    public ScsiStatus CommandStatus { get; private set; }
    public byte[] Sense { get; private set; } = [];

    /// <summary>Set once COPY STATUS reported the final status, and FAILED SEGMENT DETAILS its data:
    /// the copy manager then discards what it held (SPC-4 6.18.2, 6.18.5).</summary>
    public bool StatusDelivered { get; set; }
    public bool DetailsDelivered { get; set; }

    public bool Finished => _status != CopyManagerStatus.InProgress;

    public void SegmentDone() => Interlocked.Increment(ref _segmentsProcessed);

    public void Transferred(int bytes) => Interlocked.Add(ref _bytesTransferred, bytes);

    /// <summary>Records how the command ended; failed segment details are held only for a failure.</summary>
    public void Finish(ScsiStatus status, ReadOnlySpan<byte> sense)
    {
        CommandStatus = status;
        Sense = status == ScsiStatus.Good ? [] : sense.ToArray();
        DetailsDelivered = status == ScsiStatus.Good;
        _status = status == ScsiStatus.Good ? CopyManagerStatus.CompletedGood : CopyManagerStatus.CompletedWithErrors;
    }
}
