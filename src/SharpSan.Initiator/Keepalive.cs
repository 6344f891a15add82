using System.Diagnostics;

namespace SharpSan.Initiator;

/// <summary>
/// The per-connection timer: a NOP-Out ping (RFC 7143 §11.18) after NopOutInterval of silence,
/// connection failure when a ping or a write is not done within NopOutTimeout, and command timeouts
/// (a command without status after CommandTimeout is aborted and fails). At most one ping is out.
/// </summary>
internal sealed class Keepalive
{
    private readonly object _lock = new();
    private readonly InitiatorOptions _options;
    private readonly PendingCommands _pending;
    private readonly TaskManagement _tasks;
    private uint _pingItt;
    private long _pingSent;

    public Keepalive(InitiatorOptions options, PendingCommands pending, TaskManagement tasks)
    {
        _options = options;
        _pending = pending;
        _tasks = tasks;
    }

    /// <summary>The ITT of the ping awaiting its NOP-In, 0 when none is out.</summary>
    public uint OutstandingPing
    {
        get
        {
            lock (_lock) return _pingItt;
        }
    }

    /// <summary>A NOP-In answered ping <paramref name="itt"/>.</summary>
    public void PingAnswered(uint itt)
    {
        lock (_lock)
        {
            if (_pingItt == itt) _pingItt = 0;
        }
    }

    /// <summary>The connection is gone: a ping on it will never be answered.</summary>
    public void Reset()
    {
        lock (_lock) _pingItt = 0;
    }

    /// <summary>Runs until the connection closes (returns null) or fails a check (returns why).</summary>
    public async Task<string?> RunAsync(ActiveConnection link)
    {
        var o = _options;
        var conn = link.Connection;
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(Math.Min(o.NopOutInterval.TotalMilliseconds, o.NopOutTimeout.TotalMilliseconds) / 2, 50, 1000));
        using var timer = new PeriodicTimer(tick);
        try
        {
            while (await timer.WaitForNextTickAsync(conn.Closed))
            {
                long now = Stopwatch.GetTimestamp();
                long writeStarted = conn.WriteStarted;
                if (writeStarted != 0 && Stopwatch.GetElapsedTime(writeStarted, now) > o.NopOutTimeout)
                    return $"a write to the target stalled for more than {o.NopOutTimeout.TotalSeconds:0.#} s";
                bool unanswered = false;
                uint pingItt = 0;
                lock (_lock)
                {
                    if (_pingItt != 0 && Stopwatch.GetElapsedTime(_pingSent, now) > o.NopOutTimeout)
                    {
                        _pingItt = 0;
                        unanswered = true;
                    }
                }
                if (unanswered) return $"NOP-Out ping not answered within {o.NopOutTimeout.TotalSeconds:0.#} s";
                if (o.NopOutInterval > TimeSpan.Zero && Stopwatch.GetElapsedTime(conn.LastReceive, now) >= o.NopOutInterval)
                {
                    lock (_lock)
                    {
                        if (_pingItt == 0)
                        {
                            pingItt = _pingItt = _pending.NextItt();
                            _pingSent = now;
                        }
                    }
                    if (pingItt != 0) link.Outbound.Writer.TryWrite(new OutboundWork(OutboundKind.Ping, null, pingItt, 0, 0, link.Generation));
                }
                ExpireCommands(now);
            }
        }
        catch (OperationCanceledException)
        {
        }
        return null;
    }

    /// <summary>Commands without status after CommandTimeout are aborted and fail.</summary>
    private void ExpireCommands(long now)
    {
        var expired = _pending.CollectExpired(now, _options.CommandTimeout);
        if (expired is null) return;
        foreach (var pc in expired)
            _tasks.GiveUp(pc, new TimeoutException($"no status for task 0x{pc.Itt:x8} within {_options.CommandTimeout.TotalSeconds:0.#} s; it was aborted"));
    }
}
