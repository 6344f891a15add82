using SharpSan.Scsi.ExtendedCopy;

namespace SharpSan.Scsi;

// The copy manager of a logical unit (SPC-4 5.16.4): how it reaches copy targets other than itself, and
// how many EXTENDED COPY commands it runs at once.
public sealed partial class LogicalUnit
{
    private int _runningCopies;

    /// <summary>The other logical units EXTENDED COPY can copy from and to; null: only this unit itself.</summary>
    public ICopyTargets? CopyTargets { get; set; }

    /// <summary>Counts a copy in, unless TOTAL CONCURRENT COPIES are already running.</summary>
    internal bool TryStartCopy()
    {
        if (Interlocked.Increment(ref _runningCopies) > CopyLimits.TotalConcurrentCopies)
        {
            Interlocked.Decrement(ref _runningCopies);
            return false;
        }

        return true;
    }

    internal void EndCopy() => Interlocked.Decrement(ref _runningCopies);
}
