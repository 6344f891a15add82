using System.Threading.Channels;

namespace SharpSan.Initiator;

/// <summary>
/// Which connection is current and where the session stands: connected, recovering (no
/// connection), closing, or failed for good (<see cref="Terminal"/>). Waiters for a connection
/// are released on every change.
/// </summary>
internal sealed class SessionState
{
    private readonly object _lock = new();
    private readonly AsyncSignal _changed = new();
    private ActiveConnection? _current;
    private int _generation;
    private bool _connected;
    private bool _closing;
    private Exception? _terminal;

    /// <summary>The current connection's generation (read without the lock by the receive path).</summary>
    public int Generation => Volatile.Read(ref _generation);

    public ActiveConnection? Current
    {
        get
        {
            lock (_lock) return _current;
        }
    }

    public bool IsConnected
    {
        get
        {
            lock (_lock) return _connected;
        }
    }

    public bool IsClosing
    {
        get
        {
            lock (_lock) return _closing;
        }
    }

    public Exception? Terminal
    {
        get
        {
            lock (_lock) return _terminal;
        }
    }

    /// <summary>Makes a freshly logged-in connection current under a new generation. Null when the
    /// session is closing (the caller drops the connection).</summary>
    public ActiveConnection? Activate(InitiatorConnection conn, Channel<OutboundWork> outbound, NegotiatedParameters parameters)
    {
        lock (_lock)
        {
            if (_closing) return null;
            var link = new ActiveConnection(conn, outbound, parameters, _generation + 1);
            _current = link;
            Volatile.Write(ref _generation, link.Generation);
            _connected = true;
            return link;
        }
    }

    /// <summary>The current connection, when one is up; throws once the session has failed for good.</summary>
    public bool TryGetConnected(out ActiveConnection link)
    {
        lock (_lock)
        {
            if (_terminal is not null) throw new IscsiSessionException(_terminal.Message, _terminal);
            link = _current!;
            return _connected;
        }
    }

    /// <summary>Marks connection <paramref name="generation"/> lost. Returns it when it was the
    /// current, connected one (null otherwise: someone else handled it); <paramref name="closing"/>
    /// tells whether the session is closing (then there is no recovery).</summary>
    public ActiveConnection? Disconnect(int generation, out bool closing)
    {
        lock (_lock)
        {
            closing = _closing;
            if (generation != _generation || !_connected) return null;
            _connected = false;
            return _current;
        }
    }

    /// <summary>Logout starts: no recovery from here on. Returns the connection to log out on, or
    /// null when none is up.</summary>
    public ActiveConnection? BeginLogout()
    {
        lock (_lock)
        {
            _closing = true;
            return _connected ? _current : null;
        }
    }

    /// <summary>The session closes: returns the reason every outstanding request fails with (the
    /// first terminal error wins).</summary>
    public Exception Close(Exception reason)
    {
        lock (_lock)
        {
            _closing = true;
            _terminal ??= reason;
            _connected = false;
            return _terminal;
        }
    }

    /// <summary>Recovery gave up: the session has failed for good.</summary>
    public void Fail(Exception error)
    {
        lock (_lock) _terminal ??= error;
    }

    public void NotifyChanged() => _changed.Set();

    /// <summary>Waits until a connection is up. Throws once the session has failed for good.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_terminal is not null) throw new IscsiSessionException(_terminal.Message, _terminal);
                if (_connected) return;
                wait = _changed.WaitTask;
            }
            await wait.WaitAsync(timeout, ct);
        }
    }
}
