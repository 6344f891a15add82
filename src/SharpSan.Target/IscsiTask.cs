using SharpSan.Target.Runtime;

namespace SharpSan.Target;

/// <summary>
/// Transport state of one SCSI command on a connection: the SCSI task, the Data-Out bookkeeping
/// (immediate and unsolicited data, R2Ts), and abort state. Pooled per connection.
/// </summary>
internal sealed class IscsiTask
{
    public readonly ScsiTask Scsi = new();
    public readonly byte[] LunBytes = new byte[8];
    /// <summary>The Data-Out bookkeeping of a write: immediate and unsolicited data, R2Ts.</summary>
    public readonly DataOutTracker DataOut = new();

    public uint Itt;
    public ulong Lun;
    public uint CmdSN;
    public bool Immediate;

    private const int Open = 0, Responding = 1, AbortedSilently = 2, AbortedWithStatus = 3;
    private int _fate;

    /// <summary>True once task management (or connection loss) aborted the task: it gets no response of
    /// its own (RFC 7143 §11.5.1), unless <see cref="ReportsTaskAborted"/>.</summary>
    public bool Aborted => Volatile.Read(ref _fate) >= AbortedSilently;

    /// <summary>Aborted by another I_T nexus while the unit's TAS bit was set: the task ends with TASK
    /// ABORTED status (SAM-5 5.6, SPC-4 7.5.8) rather than silently.</summary>
    public bool ReportsTaskAborted => Volatile.Read(ref _fate) == AbortedWithStatus;

    /// <summary>Claims the right to send this task's response. Exactly one of <see cref="TryClaimResponse"/>
    /// and <see cref="TryAbort"/> succeeds, so a task is either answered or aborted, never both.</summary>
    public bool TryClaimResponse() => Interlocked.CompareExchange(ref _fate, Responding, Open) == Open;

    /// <summary>Aborts the task unless its response was already claimed, and signals
    /// <see cref="ScsiTask.AbortToken"/> (callbacks run on the thread pool, not under the caller's locks).
    /// <paramref name="reportStatus"/>: the task is to end with TASK ABORTED status.</summary>
    public bool TryAbort(bool reportStatus = false)
    {
        int fate = Interlocked.CompareExchange(ref _fate, reportStatus ? AbortedWithStatus : AbortedSilently, Open);
        if (fate == Open)
        {
            _ = _abort.CancelAsync();
        }

        return fate != Responding;
    }

    // Reused across the pooled lives of the task (TryReset), replaced only after an abort.
    private CancellationTokenSource _abort = new();

    public IscsiTask() => Scsi.AbortToken = _abort.Token;
    /// <summary>True once the command was handed to the SCSI engine.</summary>
    public volatile bool Executing;
    /// <summary>Completed when the task leaves the task table; created on demand by task management.
    /// Guarded by lock(this) together with <see cref="Generation"/>, because tasks are pooled.</summary>
    public TaskCompletionSource? Completion;
    /// <summary>Bumped each time the pooled instance is finished, so a stale reference can tell.</summary>
    public int Generation;
    /// <summary>The pooled data buffer (also in Scsi.Buffer), returned when the task finishes.</summary>
    public byte[]? RentedBuffer;
    public uint NextDataInSN;
    /// <summary>The task's CmdSN window slot was given back (once, before its response goes out).</summary>
    public bool SlotFreed;
    /// <summary>The counters of the task's LUN in its session, looked up once when it is submitted.</summary>
    public LunStatistics? Statistics;

    public void Reset()
    {
        Scsi.Reset();
        if (!_abort.TryReset())
        {
            _abort = new CancellationTokenSource();
        }

        Scsi.AbortToken = _abort.Token;
        Array.Clear(LunBytes);
        DataOut.Reset();
        Itt = 0;
        Lun = 0;
        CmdSN = 0;
        Immediate = false;
        _fate = Open;
        Executing = false;
        Completion = null;
        RentedBuffer = null;
        NextDataInSN = 0;
        SlotFreed = false;
        Statistics = null;
    }
}
