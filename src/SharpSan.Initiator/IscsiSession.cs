using System.Net;
using System.Threading.Channels;
using SharpSan.Protocol;

namespace SharpSan.Initiator;

/// <summary>
/// A normal iSCSI session to one target over one connection (RFC 7143, ERL 0): login, pipelined SCSI
/// commands within the target's CmdSN window, task management, keepalive, logout, and recovery by
/// session reinstatement when the connection drops.
/// </summary>
public sealed partial class IscsiSession : IAsyncDisposable
{
    private readonly InitiatorOptions _options;
    private readonly object _lock = new();
    private readonly Dictionary<uint, PendingCommand> _pending = new();
    private readonly Dictionary<uint, TaskCompletionSource<ReceivedPdu>> _immediateWaiters = new();
    private readonly SemaphoreSlim _issueLock = new(1, 1);
    private readonly AsyncSignal _stateChanged = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly List<Task> _background = new();

    private InitiatorConnection _conn = null!;
    private Channel<OutboundWork> _outbound = null!;
    private int _generation;
    private bool _connected;
    private Exception? _terminal;
    private bool _closing;
    private uint _cmdSN, _expStatSN, _expCmdSN, _maxCmdSN;
    private uint _nextItt = 0x10;
    private long _sequence;

    private IscsiSession(IPEndPoint portal, string targetName, InitiatorOptions options)
    {
        Portal = portal;
        TargetName = targetName;
        _options = options;
    }

    /// <summary>The portal the session was asked to use (a redirect may connect elsewhere, see <see cref="ConnectedPortal"/>).</summary>
    public IPEndPoint Portal { get; }
    /// <summary>The portal of the current connection.</summary>
    public IPEndPoint ConnectedPortal => _conn.Remote;
    /// <summary>Our address on the current connection.</summary>
    public IPEndPoint? LocalEndPoint => _conn.Local;
    public string TargetName { get; }
    public string InitiatorName => _options.InitiatorName;
    public ulong Isid => _options.Isid;
    /// <summary>Target Session Identifying Handle; changes when recovery reinstates the session.</summary>
    public ushort Tsih { get; private set; }
    /// <summary>TargetPortalGroupTag declared at login (RFC 7143 §13.9).</summary>
    public int TargetPortalGroupTag => Parameters.TargetPortalGroupTag;
    /// <summary>The negotiated parameters in force.</summary>
    public NegotiatedParameters Parameters { get; private set; } = new();
    /// <summary>How many times the session has been re-established after a connection loss.</summary>
    public int RecoveryCount { get; private set; }
    /// <summary>True while a connection is logged in (false during recovery and after close).</summary>
    public bool IsConnected
    {
        get
        {
            lock (_lock) return _connected;
        }
    }

    /// <summary>Logs in to <paramref name="targetName"/> at <paramref name="portal"/> and starts full
    /// feature phase. Throws <see cref="IscsiLoginException"/> when the target refuses (e.g. 0x0201
    /// authentication failure) and <see cref="TimeoutException"/> after LoginTimeout.</summary>
    public static async Task<IscsiSession> LoginAsync(IPEndPoint portal, string targetName, InitiatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(targetName);
        var session = new IscsiSession(portal, targetName, options.Clone());
        var (conn, outcome) = await LoginConnector.ConnectAsync(portal, session._options, targetName, cancellationToken);
        session.Install(conn, outcome);
        return session;
    }

    /// <summary>Makes a freshly logged-in connection current and starts its loops. Called with
    /// <see cref="_issueLock"/> held, or before the session is shared.</summary>
    private void Install(InitiatorConnection conn, LoginOutcome outcome)
    {
        var p = outcome.Parameters;
        conn.HeaderDigest = p.HeaderDigest;
        conn.DataDigest = p.DataDigest;
        conn.MaxRecvDataSegmentLength = p.MaxRecvDataSegmentLength;
        var channel = Channel.CreateUnbounded<OutboundWork>(new UnboundedChannelOptions { SingleReader = true });
        int generation;
        lock (_lock)
        {
            generation = ++_generation;
            _conn = conn;
            _outbound = channel;
            Parameters = p;
            Tsih = outcome.Tsih;
            _cmdSN = outcome.ExpCmdSN;
            _expCmdSN = outcome.ExpCmdSN;
            _maxCmdSN = outcome.MaxCmdSN;
            _expStatSN = outcome.ExpStatSN;
            _connected = true;
            _background.RemoveAll(t => t.IsCompleted);
            _background.Add(ReaderLoopAsync(conn, generation));
            _background.Add(SenderLoopAsync(conn, channel, generation));
            _background.Add(KeepaliveLoopAsync(conn, generation));
        }
        _stateChanged.Set();
    }

    private uint NextItt()
    {
        lock (_lock)
        {
            uint itt = _nextItt++;
            if (_nextItt == Bhs.ReservedTag) _nextItt = 0x10;
            return itt;
        }
    }

    /// <summary>Logs out (reason 0, close the session, RFC 7143 §11.14), waiting for commands in flight
    /// first, then closes the connection. Commands still outstanding afterwards fail.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_closing) return;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        timeout.CancelAfter(_options.CommandTimeout);
        try
        {
            // Commands already issued finish first: a logout must not cut an acknowledged write short.
            Task[] inFlight;
            lock (_lock) inFlight = _pending.Values.Select(p => (Task)p.Task).ToArray();
            await Task.WhenAll(inFlight).WaitAsync(timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            lock (_lock)
            {
                _closing = true;
                if (!_connected) return;
            }
            var conn = _conn;
            uint itt = NextItt();
            var waiter = RegisterImmediate(itt);
            var header = new byte[Bhs.Length];
            uint cmdSN, expStatSN;
            lock (_lock)
            {
                cmdSN = _cmdSN;
                expStatSN = _expStatSN;
            }
            new LogoutRequestPdu { Immediate = true, Reason = LogoutReason.CloseSession, InitiatorTaskTag = itt, Cid = 0, CmdSN = cmdSN, ExpStatSN = expStatSN }
                .Encode(header);
            await conn.SendAsync(header, ReadOnlyMemory<byte>.Empty, timeout.Token);
            var rsp = await waiter.Task.WaitAsync(timeout.Token);
            var response = LogoutResponsePdu.Decode(rsp.Header).Response;
            if (response != LogoutResponseCode.ClosedSuccessfully)
                throw new IscsiSessionException($"the target refused the logout (response 0x{(byte)response:x2})");
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException)
        {
            // The connection died while logging out: the session is gone either way.
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"logout from {TargetName} did not complete within {_options.CommandTimeout.TotalSeconds:0.#} s");
        }
        finally
        {
            await CloseAsync(new IscsiSessionException($"the session to {TargetName} was logged out"));
        }
    }

    private TaskCompletionSource<ReceivedPdu> RegisterImmediate(uint itt)
    {
        var tcs = new TaskCompletionSource<ReceivedPdu>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) _immediateWaiters[itt] = tcs;
        return tcs;
    }

    /// <summary>Closes the connection without logging out; outstanding commands fail.</summary>
    public ValueTask DisposeAsync() => new(CloseAsync(new ObjectDisposedException(nameof(IscsiSession), "the session was closed")));

    private async Task CloseAsync(Exception reason)
    {
        Task[] tasks;
        lock (_lock)
        {
            _closing = true;
            _terminal ??= reason;
            _connected = false;
            tasks = _background.ToArray();
        }
        _lifetime.Cancel();
        _conn?.Abort();
        _outbound?.Writer.TryComplete();
        FailAll(_terminal);
        _stateChanged.Set();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        if (_conn is not null) await _conn.DisposeAsync();
    }

    /// <summary>Fails every outstanding command and immediate request.</summary>
    private void FailAll(Exception error)
    {
        List<PendingCommand> commands;
        List<TaskCompletionSource<ReceivedPdu>> waiters;
        lock (_lock)
        {
            commands = _pending.Values.ToList();
            _pending.Clear();
            waiters = _immediateWaiters.Values.ToList();
            _immediateWaiters.Clear();
        }
        foreach (var c in commands) c.TryFail(error);
        foreach (var w in waiters) w.TrySetException(error);
    }
}
