namespace SharpSan.Scsi;

/// <summary>
/// The sanitize state of one logical unit (SBC-3 4.11): idle, an operation in progress (with its
/// progress indication), or sanitize failure mode after an operation that did not complete. The
/// operation belongs to the unit, not to the command that started it: it carries on through task
/// aborts, resets and the loss of the nexus (SBC-3 4.11.1), as libiscsi's SCSI.Sanitize.Reset checks.
/// </summary>
internal sealed class SanitizeState
{
    /// <summary>Overwrite pace: a sanitize runs in the background of a shared host, so it leaves the
    /// storage's bandwidth to the other logical units (a real drive's sanitize also takes minutes to hours).</summary>
    public const long DefaultOverwriteBytesPerSecond = 128L * 1024 * 1024;

    private readonly object _lock = new();
    private volatile bool _active;
    private volatile bool _running;
    private volatile bool _failed;
    private bool _failedWithAuse;
    private int _progress;

    /// <summary>Bytes per second an OVERWRITE pass writes at most (tests raise it).</summary>
    public long OverwriteBytesPerSecond { get; set; } = DefaultOverwriteBytesPerSecond;

    /// <summary>Running or in failure mode: the checks before each command look further.</summary>
    public bool Active => _active;

    public bool Running => _running;

    /// <summary>Sanitize failure mode (SBC-3 4.11.4): the last operation did not complete.</summary>
    public bool Failed => _failed;

    /// <summary>PROGRESS INDICATION (SPC-4 4.5.2.4.4): the fraction done, in 65536ths.</summary>
    public ushort Progress => (ushort)Volatile.Read(ref _progress);

    /// <summary>
    /// Fails <paramref name="task"/> and returns true when the unit's sanitize state refuses it: NOT
    /// READY, SANITIZE IN PROGRESS with the progress indication while an operation runs; MEDIUM ERROR,
    /// SANITIZE COMMAND FAILED in failure mode for any command but SANITIZE (SBC-3 4.11.4).
    /// </summary>
    public bool Refuse(ScsiTask task, CommandDescriptor command)
    {
        if (_running)
        {
            FailInProgress(task);
            return true;
        }

        if (_failed && command.Opcode != ScsiOpcode.Sanitize)
        {
            task.Fail(SenseReason.SanitizeCommandFailed);
            return true;
        }

        return false;
    }

    /// <summary>NOT READY, SANITIZE IN PROGRESS; the sense-key specific field carries the progress
    /// indication (SKSV=1, bytes 16-17 of fixed sense; SPC-4 4.5.2.4.4).</summary>
    public void FailInProgress(ScsiTask task) =>
        task.Fail(SenseReason.SanitizeInProgress, Progress, -1, inCdb: false);

    /// <summary>What REQUEST SENSE reports (SPC-4 6.29): the running operation with its progress, or
    /// failure mode; false when idle.</summary>
    public bool TryDescribe(out SenseReason reason, out int progress)
    {
        progress = SenseData.NoField;
        if (_running)
        {
            reason = SenseReason.SanitizeInProgress;
            progress = Progress;
            return true;
        }

        reason = _failed ? SenseReason.SanitizeCommandFailed : SenseReason.None;
        return _failed;
    }

    /// <summary>Enters the running state; false when an operation already runs.</summary>
    public bool TryStart()
    {
        lock (_lock)
        {
            if (_running)
            {
                return false;
            }

            Volatile.Write(ref _progress, 0);
            _running = true;
            _active = true;
            return true;
        }
    }

    public void Report(long done, long total)
    {
        int fraction = total <= 0 ? 0 : (int)Math.Min(0xFFFF, done * 0x10000 / total);
        Volatile.Write(ref _progress, fraction);
    }

    /// <summary>The operation ended: success leaves failure mode, a failure enters it, remembering
    /// AUSE (whether EXIT FAILURE MODE may end it; SBC-3 5.30.1).</summary>
    public void Finish(bool succeeded, bool ause)
    {
        lock (_lock)
        {
            _failed = !succeeded;
            _failedWithAuse = !succeeded && ause;
            _running = false;
            _active = _failed;
        }
    }

    /// <summary>
    /// EXIT FAILURE MODE (SBC-3 5.30.2.5): leaves failure mode when the failed operation allowed it
    /// (AUSE=1), and completes without effect when the unit is not in failure mode. False: the failed
    /// operation had AUSE=0, and only a successful sanitize ends the mode.
    /// </summary>
    public bool TryExitFailureMode()
    {
        lock (_lock)
        {
            if (_running)
            {
                return false;
            }

            if (_failed && !_failedWithAuse)
            {
                return false;
            }

            _failed = false;
            _active = false;
            return true;
        }
    }
}
