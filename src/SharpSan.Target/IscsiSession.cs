using SharpSan.Target.Runtime;

namespace SharpSan.Target;

/// <summary>
/// An iSCSI session (RFC 7143 §4.4): an I_T nexus with its negotiated parameters, LUN inventory and
/// command numbering. We negotiate MaxConnections=1, so a session has exactly one connection.
/// </summary>
internal sealed class IscsiSession
{
    private readonly object _gate = new();
    private readonly Dictionary<uint, IscsiTask> _tasks = new();
    private readonly int _window;
    private uint _expCmdSN;
    private uint _maxCmdSN;
    private int _inFlight;
    private int _ended;

    public IscsiSession(ushort tsih, ulong isid, string initiatorName, bool discovery, uint firstCmdSN, int window)
    {
        Tsih = tsih;
        Isid = isid;
        InitiatorName = initiatorName;
        IsDiscovery = discovery;
        _window = window;
        _expCmdSN = firstCmdSN;
        _maxCmdSN = firstCmdSN + (uint)window - 1;
    }

    public ushort Tsih { get; }
    public ulong Isid { get; }
    public string InitiatorName { get; }
    public string InitiatorAlias { get; set; } = "";
    public bool IsDiscovery { get; }
    public TargetPortalGroup? Tpg { get; set; }
    public LunMap LunMap { get; set; } = new(Array.Empty<LunEntry>());
    /// <summary>Per-LUN I/O counters of this I_T nexus (tgtadm --op stat).</summary>
    public SessionStatistics Statistics { get; } = new();
    public ItNexus Nexus { get; set; } = null!;
    public OperationalParameters Parameters { get; set; } = new();
    public IscsiConnection? Connection { get; set; }
    public DateTime Started { get; } = DateTime.UtcNow;
    /// <summary>Idle time before a NOP-In ping, and how long the answer may take (ACL attributes or defaults).</summary>
    public TimeSpan NopInInterval { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan NopInTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>True when the initiator got in through demo mode (no ACL of its own).</summary>
    public bool DynamicAcl { get; set; }

    /// <summary>"iqn...,i,0x&lt;ISID&gt;" — the SCSI initiator port name (RFC 7143 §4.2.7.3... SAM-5).</summary>
    public string InitiatorPortName => $"{InitiatorName},i,0x{Isid:x12}";

    public uint ExpCmdSN
    {
        get { lock (_gate) return _expCmdSN; }
    }

    public uint MaxCmdSN
    {
        get { lock (_gate) return _maxCmdSN; }
    }

    /// <summary>Reads both numbers consistently for a response header.</summary>
    public void GetWindow(out uint expCmdSN, out uint maxCmdSN)
    {
        lock (_gate)
        {
            expCmdSN = _expCmdSN;
            maxCmdSN = _maxCmdSN;
        }
    }

    /// <summary>
    /// Checks a non-immediate command's CmdSN (§4.2.2.1). Only CmdSN == ExpCmdSN is delivered: with one
    /// connection over TCP a higher number can only mean a skipped command, and a number outside the
    /// window MUST be silently ignored. Returns false to drop the PDU.
    /// </summary>
    public bool AcceptCmdSN(uint cmdSN, bool immediate, bool consumesSlot)
    {
        lock (_gate)
        {
            if (immediate)
            {
                // Immediate commands do not advance ExpCmdSN; they carry the current value.
                if (consumesSlot) _inFlight++;
                return true;
            }
            if (cmdSN != _expCmdSN) return false;
            _expCmdSN++;
            if (consumesSlot) _inFlight++;
            UpdateMaxCmdSN();
            return true;
        }
    }

    /// <summary>True the first time it is called: the session is over and its nexus state released.</summary>
    public bool TryMarkEnded() => Interlocked.Exchange(ref _ended, 1) == 0;

    /// <summary>A command finished: its slot in the window frees.</summary>
    public void CommandDone()
    {
        lock (_gate)
        {
            _inFlight--;
            UpdateMaxCmdSN();
        }
    }

    private void UpdateMaxCmdSN()
    {
        // MaxCmdSN - ExpCmdSN + 1 = free slots; never moved backwards (§4.2.2.1: MaxCmdSN is
        // monotonic as seen by the initiator).
        int free = Math.Max(0, _window - _inFlight);
        uint candidate = _expCmdSN + (uint)free - 1;
        if (SerialNumber.GreaterThan(candidate, _maxCmdSN)) _maxCmdSN = candidate;
    }

    public bool TryAddTask(IscsiTask task)
    {
        lock (_tasks) return _tasks.TryAdd(task.Itt, task);
    }

    public bool TryGetTask(uint itt, out IscsiTask task)
    {
        lock (_tasks) return _tasks.TryGetValue(itt, out task!);
    }

    /// <summary>Looks a task up together with its pool generation, read while it is certainly still in
    /// the table (a task leaves the table before its generation moves on), so task management can tell
    /// later whether the pooled object still carries this command.</summary>
    public bool TryGetTask(uint itt, out IscsiTask task, out int generation)
    {
        lock (_tasks)
        {
            if (_tasks.TryGetValue(itt, out task!))
            {
                generation = Volatile.Read(ref task.Generation);
                return true;
            }
            generation = 0;
            return false;
        }
    }

    public void RemoveTask(IscsiTask task)
    {
        lock (_tasks)
        {
            if (_tasks.TryGetValue(task.Itt, out var t) && ReferenceEquals(t, task)) _tasks.Remove(task.Itt);
        }
    }

    /// <summary>A snapshot of the tasks, optionally only those for one LUN.</summary>
    public List<IscsiTask> SnapshotTasks(ulong? lun = null)
    {
        lock (_tasks)
        {
            var list = new List<IscsiTask>(_tasks.Count);
            foreach (var t in _tasks.Values)
                if (lun is null || t.Lun == lun) list.Add(t);
            return list;
        }
    }

    /// <summary>Like <see cref="SnapshotTasks"/>, with each task's pool generation (see <see cref="TryGetTask(uint, out IscsiTask, out int)"/>).</summary>
    public List<(IscsiTask Task, int Generation)> SnapshotTasksForAbort(Func<IscsiTask, bool>? filter = null)
    {
        lock (_tasks)
        {
            var list = new List<(IscsiTask, int)>(_tasks.Count);
            foreach (var t in _tasks.Values)
                if (filter is null || filter(t)) list.Add((t, Volatile.Read(ref t.Generation)));
            return list;
        }
    }
}
