using System.Diagnostics;
using SharpSan.Protocol;

namespace SharpSan.Initiator;

/// <summary>
/// The session's command numbering for one logged-in connection (RFC 7143 §4.2.2.1): the next CmdSN
/// to assign, the target's ExpCmdSN/MaxCmdSN window, and the ExpStatSN we acknowledge. All
/// comparisons are RFC 1982 serial arithmetic. <see cref="Reset"/> opens the window for a new
/// connection generation; <see cref="Close"/> ends it, releasing anyone waiting for space.
/// </summary>
internal sealed class CommandWindow
{
    private readonly object _lock = new();
    private readonly AsyncSignal _changed = new();
    private int _generation;
    private bool _open;
    private uint _cmdSN, _expCmdSN, _maxCmdSN, _expStatSN;

    /// <summary>The CmdSN the next command takes (immediate PDUs carry it without advancing it).</summary>
    public uint CmdSN
    {
        get
        {
            lock (_lock) return _cmdSN;
        }
    }

    public uint ExpCmdSN
    {
        get
        {
            lock (_lock) return _expCmdSN;
        }
    }

    public uint MaxCmdSN
    {
        get
        {
            lock (_lock) return _maxCmdSN;
        }
    }

    public uint ExpStatSN
    {
        get
        {
            lock (_lock) return _expStatSN;
        }
    }

    /// <summary>CmdSN and ExpStatSN for an immediate PDU (NOP-Out, TMF, logout), read together.</summary>
    public (uint CmdSN, uint ExpStatSN) ForImmediate()
    {
        lock (_lock) return (_cmdSN, _expStatSN);
    }

    /// <summary>A new connection logged in: numbering restarts from what the login response said.</summary>
    public void Reset(int generation, uint expCmdSN, uint maxCmdSN, uint expStatSN)
    {
        lock (_lock)
        {
            _generation = generation;
            _open = true;
            _cmdSN = expCmdSN;
            _expCmdSN = expCmdSN;
            _maxCmdSN = maxCmdSN;
            _expStatSN = expStatSN;
        }
        _changed.Set();
    }

    /// <summary>The connection is gone: waiters for space give up (the caller retries on the next one).</summary>
    public void Close()
    {
        lock (_lock) _open = false;
        _changed.Set();
    }

    /// <summary>Takes the next CmdSN for a non-immediate command (after <see cref="WaitForSpaceAsync"/>).</summary>
    public uint Allocate()
    {
        lock (_lock) return _cmdSN++;
    }

    /// <summary>§4.2.2.1: a non-immediate command may be sent only when CmdSN ≤ MaxCmdSN (RFC 1982).</summary>
    public bool HasSpace
    {
        get
        {
            lock (_lock) return _open && SerialNumber.LessOrEqual(_cmdSN, _maxCmdSN);
        }
    }

    /// <summary>§4.2.2.1: ExpCmdSN and MaxCmdSN only move forward (RFC 1982), and only when
    /// MaxCmdSN ≥ ExpCmdSN - 1 (otherwise the PDU's window fields are ignored). Returns true when
    /// the window opened further (waiters are released).</summary>
    public bool Update(uint expCmdSN, uint maxCmdSN)
    {
        if (SerialNumber.LessThan(maxCmdSN, expCmdSN - 1)) return false;
        bool opened = false;
        lock (_lock)
        {
            if (SerialNumber.GreaterThan(expCmdSN, _expCmdSN)) _expCmdSN = expCmdSN;
            if (SerialNumber.GreaterThan(maxCmdSN, _maxCmdSN))
            {
                _maxCmdSN = maxCmdSN;
                opened = true;
            }
        }
        if (opened) _changed.Set();
        return opened;
    }

    /// <summary>A PDU carrying StatSN acknowledges every status up to it (§4.2.2.2).</summary>
    public void AdvanceStatSN(uint statSN)
    {
        lock (_lock)
        {
            if (SerialNumber.GreaterOrEqual(statSN, _expStatSN)) _expStatSN = statSN + 1;
        }
    }

    /// <summary>§4.2.2.1: waits until CmdSN ≤ MaxCmdSN. Returns false when the window of
    /// <paramref name="generation"/> was closed or replaced while waiting; throws
    /// <see cref="TimeoutException"/> when it stays shut for <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForSpaceAsync(int generation, TimeSpan timeout, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_generation != generation || !_open) return false;
                if (SerialNumber.LessOrEqual(_cmdSN, _maxCmdSN)) return true;
                // Taken under the lock, so an Update/Close after this check still releases us.
                wait = _changed.WaitTask;
            }
            var left = timeout - Stopwatch.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"the target kept its command window closed for {timeout.TotalSeconds:0.#} s");
            try
            {
                await wait.WaitAsync(left, ct);
            }
            catch (TimeoutException)
            {
            }
        }
    }
}
