using System.Buffers;
using System.Diagnostics;
using SharpSan.Protocol;

namespace SharpSan.Initiator;

/// <summary>
/// Everything awaiting a target response, by Initiator Task Tag: SCSI commands until their status,
/// and immediate requests (task management, logout) until their response. Allocates the ITTs,
/// which are unique within the session (RFC 7143 §11.2.1.8) and never 0xffffffff (reserved).
/// </summary>
internal sealed class PendingCommands
{
    /// <summary>The first ITT handed out, and where allocation wraps back to.</summary>
    public const uint FirstItt = 0x10;

    private readonly object _lock = new();
    private readonly Dictionary<uint, PendingCommand> _commands = new();
    private readonly Dictionary<uint, TaskCompletionSource<ReceivedPdu>> _immediate = new();
    private uint _nextItt;

    public PendingCommands() : this(FirstItt)
    {
    }

    /// <summary>Starts tag allocation at <paramref name="nextItt"/> (tests use it to reach the wrap).</summary>
    public PendingCommands(uint nextItt) => _nextItt = nextItt;

    public int Count
    {
        get
        {
            lock (_lock) return _commands.Count;
        }
    }

    public uint NextItt()
    {
        lock (_lock) return NextIttLocked();
    }

    private uint NextIttLocked()
    {
        uint itt = _nextItt++;
        if (_nextItt == Bhs.ReservedTag) _nextItt = FirstItt;
        return itt;
    }

    /// <summary>Gives the command a new ITT and registers it; it stays until completed, failed or
    /// removed (a failed send keeps it registered, so recovery re-issues it).</summary>
    public void Add(PendingCommand pc)
    {
        lock (_lock)
        {
            pc.Itt = NextIttLocked();
            pc.Command.InitiatorTaskTag = pc.Itt;
            _commands[pc.Itt] = pc;
        }
    }

    public PendingCommand? Find(uint itt)
    {
        lock (_lock) return _commands.GetValueOrDefault(itt);
    }

    /// <summary>The registered command for a caller's <see cref="ScsiCommand"/>, if it is in flight.</summary>
    public PendingCommand? Find(ScsiCommand command)
    {
        lock (_lock)
        {
            return _commands.TryGetValue(command.InitiatorTaskTag, out var p) && ReferenceEquals(p.Command, command) ? p : null;
        }
    }

    /// <summary>Unregisters <paramref name="pc"/> (only that instance). False when it was not registered.</summary>
    public bool Remove(PendingCommand pc)
    {
        lock (_lock)
        {
            return _commands.TryGetValue(pc.Itt, out var p) && ReferenceEquals(p, pc) && _commands.Remove(pc.Itt);
        }
    }

    /// <summary>The status is in: unregister, then complete (the caller's continuation runs inline).</summary>
    public void Complete(PendingCommand pc, ScsiResult result)
    {
        Remove(pc);
        pc.TryComplete(result);
    }

    public void Fail(PendingCommand pc, Exception error)
    {
        Remove(pc);
        pc.TryFail(error);
    }

    /// <summary>Unregisters and returns the commands addressed to <paramref name="lun"/> (LUN reset).</summary>
    public List<PendingCommand> RemoveForLun(ulong lun)
    {
        var removed = new List<PendingCommand>();
        lock (_lock)
        {
            foreach (var pc in _commands.Values)
            {
                if (pc.Command.Lun == lun) removed.Add(pc);
            }
            foreach (var pc in removed) _commands.Remove(pc.Itt);
        }
        return removed;
    }

    /// <summary>Commands issued more than <paramref name="timeout"/> before <paramref name="now"/>
    /// (Stopwatch timestamps); null when there are none (the common case allocates nothing).</summary>
    public List<PendingCommand>? CollectExpired(long now, TimeSpan timeout)
    {
        List<PendingCommand>? expired = null;
        lock (_lock)
        {
            foreach (var pc in _commands.Values)
            {
                if (Stopwatch.GetElapsedTime(pc.IssuedAt, now) > timeout) (expired ??= new()).Add(pc);
            }
        }
        return expired;
    }

    /// <summary>The registered commands, oldest issue first (recovery re-issues them in this order).</summary>
    public List<PendingCommand> InIssueOrder()
    {
        List<PendingCommand> list;
        lock (_lock) list = new List<PendingCommand>(_commands.Values);
        list.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        return list;
    }

    /// <summary>The completions of the commands in flight (logout waits for them).</summary>
    public Task[] InFlight()
    {
        lock (_lock)
        {
            var tasks = new Task[_commands.Count];
            int i = 0;
            foreach (var pc in _commands.Values) tasks[i++] = pc.Task;
            return tasks;
        }
    }

    /// <summary>Registers a waiter for the response to an immediate request with ITT <paramref name="itt"/>.</summary>
    public TaskCompletionSource<ReceivedPdu> RegisterImmediate(uint itt)
    {
        var tcs = new TaskCompletionSource<ReceivedPdu>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) _immediate[itt] = tcs;
        return tcs;
    }

    /// <summary>Hands a response to its waiter (copied: the frame is valid only during dispatch).</summary>
    public void CompleteImmediate(uint itt, in PduFrame frame)
    {
        TaskCompletionSource<ReceivedPdu>? waiter;
        lock (_lock)
        {
            if (!_immediate.Remove(itt, out waiter)) return;
        }
        waiter.TrySetResult(new ReceivedPdu(frame.Header.ToArray(), frame.Data.ToArray()));
    }

    public void FailImmediate(uint itt, Exception error)
    {
        TaskCompletionSource<ReceivedPdu>? waiter;
        lock (_lock) _immediate.Remove(itt, out waiter);
        waiter?.TrySetException(error);
    }

    /// <summary>Fails and forgets every outstanding command and immediate request.</summary>
    public void FailAll(Exception error)
    {
        PendingCommand[] commands;
        TaskCompletionSource<ReceivedPdu>[] waiters;
        lock (_lock)
        {
            commands = new PendingCommand[_commands.Count];
            _commands.Values.CopyTo(commands, 0);
            _commands.Clear();
            waiters = new TaskCompletionSource<ReceivedPdu>[_immediate.Count];
            _immediate.Values.CopyTo(waiters, 0);
            _immediate.Clear();
        }
        foreach (var c in commands) c.TryFail(error);
        foreach (var w in waiters) w.TrySetException(error);
    }
}
