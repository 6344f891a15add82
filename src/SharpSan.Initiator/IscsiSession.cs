using System.Net;
using System.Threading.Channels;
using SharpSan.Protocol;

namespace SharpSan.Initiator;

/// <summary>
/// A normal iSCSI session to one target over one connection (RFC 7143, ERL 0): login, pipelined SCSI
/// commands within the target's CmdSN window, task management, keepalive, logout, and recovery by
/// session reinstatement when the connection drops.
/// </summary>
/// <remarks>A facade over the parts: <see cref="SessionState"/> (the current connection),
/// <see cref="CommandWindow"/>, <see cref="PendingCommands"/>, <see cref="CommandSender"/>,
/// <see cref="ResponseDispatcher"/>, <see cref="TaskManagement"/>, <see cref="Keepalive"/> and
/// <see cref="SessionRecovery"/>.</remarks>
public sealed class IscsiSession : IAsyncDisposable
{
    private readonly InitiatorOptions _options;
    private readonly SemaphoreSlim _issueLock = new(1, 1);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly List<Task> _background = new();
    private readonly SessionState _state = new();
    private readonly CommandWindow _window = new();
    private readonly PendingCommands _pending = new();
    private readonly CommandSender _sender;
    private readonly TaskManagement _tasks;
    private readonly Keepalive _keepalive;
    private readonly ResponseDispatcher _dispatcher;
    private readonly SessionRecovery _recovery;
    private long _sequence;

    private IscsiSession(IPEndPoint portal, string targetName, InitiatorOptions options)
    {
        Portal = portal;
        TargetName = targetName;
        _options = options;
        _sender = new CommandSender(_window, _pending);
        _tasks = new TaskManagement(_state, _window, _pending, options, _lifetime.Token);
        _keepalive = new Keepalive(options, _pending, _tasks);
        _dispatcher = new ResponseDispatcher(_state, _window, _pending, _keepalive);
        _recovery = new SessionRecovery(_state, _window, _pending, _sender, _keepalive, options, _issueLock, _lifetime.Token, portal, targetName, Install);
    }

    /// <summary>The portal the session was asked to use (a redirect may connect elsewhere, see <see cref="ConnectedPortal"/>).</summary>
    public IPEndPoint Portal { get; }
    /// <summary>The portal of the current connection.</summary>
    public IPEndPoint ConnectedPortal => _state.Current!.Connection.Remote;
    /// <summary>Our address on the current connection.</summary>
    public IPEndPoint? LocalEndPoint => _state.Current!.Connection.Local;
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
    public int RecoveryCount => _recovery.Count;
    /// <summary>True while a connection is logged in (false during recovery and after close).</summary>
    public bool IsConnected => _state.IsConnected;

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
    /// <see cref="_issueLock"/> held, or before the session is shared. Null when the session is closing.</summary>
    private ActiveConnection? Install(InitiatorConnection conn, LoginOutcome outcome)
    {
        var p = outcome.Parameters;
        conn.HeaderDigest = p.HeaderDigest;
        conn.DataDigest = p.DataDigest;
        conn.MaxRecvDataSegmentLength = p.MaxRecvDataSegmentLength;
        var channel = Channel.CreateUnbounded<OutboundWork>(new UnboundedChannelOptions { SingleReader = true });
        var link = _state.Activate(conn, channel, p);
        if (link is null) return null;
        Parameters = p;
        Tsih = outcome.Tsih;
        _window.Reset(link.Generation, outcome.ExpCmdSN, outcome.MaxCmdSN, outcome.ExpStatSN);
        lock (_background)
        {
            _background.RemoveAll(static t => t.IsCompleted);
            _background.Add(ReaderLoopAsync(link));
            _background.Add(SenderLoopAsync(link));
            _background.Add(KeepaliveLoopAsync(link));
        }
        _state.NotifyChanged();
        return link;
    }

    /// <summary>The one reader of a connection: frames PDUs and dispatches them synchronously.</summary>
    private async Task ReaderLoopAsync(ActiveConnection link)
    {
        await Task.Yield();
        try
        {
            await link.Connection.ReadLoopAsync((in PduFrame frame) => _dispatcher.Dispatch(frame, link), link.Connection.Closed);
        }
        catch (Exception ex)
        {
            _recovery.ConnectionFailed(link.Generation, ex is OperationCanceledException ? "connection closed" : ex.Message);
        }
    }

    private async Task SenderLoopAsync(ActiveConnection link)
    {
        try
        {
            await _sender.RunOutboundAsync(link);
        }
        catch (Exception ex)
        {
            _recovery.ConnectionFailed(link.Generation, ex is OperationCanceledException ? "connection closed" : ex.Message);
        }
    }

    private async Task KeepaliveLoopAsync(ActiveConnection link)
    {
        var failure = await _keepalive.RunAsync(link);
        if (failure is not null) _recovery.ConnectionFailed(link.Generation, failure);
    }

    /// <summary>
    /// Sends one SCSI command and returns its status. Many calls may be in flight at once; they enter
    /// the target's CmdSN window in call order (waiting for window space) and complete in any order.
    /// A CHECK CONDITION is a result, not an exception. Cancelling sends ABORT TASK and throws.
    /// The continuation after the await runs on the session's receive loop (no thread hop, so a caller
    /// that issues its next command from there has it batched with the others into one send): do not
    /// block in it — offload long work with Task.Run.
    /// </summary>
    public async ValueTask<ScsiResult> ExecuteAsync(ScsiCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var pc = new PendingCommand(command, Interlocked.Increment(ref _sequence));
        await IssueAsync(pc, cancellationToken);
        if (!cancellationToken.CanBeCanceled) return await pc.Task;
        using var registration = cancellationToken.Register(static s =>
        {
            var (tasks, p) = ((TaskManagement, PendingCommand))s!;
            tasks.GiveUp(p, new OperationCanceledException("the command was cancelled"));
        }, (_tasks, pc));
        return await pc.Task;
    }

    /// <summary>Waits for a connected session, then for CmdSN window space, and sends the command.
    /// A command whose send fails stays registered: recovery sends it again.</summary>
    private async Task IssueAsync(PendingCommand pc, CancellationToken ct)
    {
        while (true)
        {
            await _state.WaitReadyAsync(_options.ReplacementTimeout + _options.LoginTimeout, ct);
            await _issueLock.WaitAsync(ct);
            Task sending;
            try
            {
                if (!_state.TryGetConnected(out var link)) continue;
                if (!await _window.WaitForSpaceAsync(link.Generation, _options.CommandTimeout, ct)) continue;
                pc.CmdSN = _window.Allocate();
                pc.ResetForReissue(link.Generation);
                _pending.Add(pc);
                // The command PDU joins the connection's outgoing batch before SendCommandAsync first
                // yields, so CmdSN order is wire order; waiting for the socket write happens outside the
                // lock, letting the next commands join the same batch (one send for many commands).
                sending = _sender.SendCommandAsync(link.Connection, pc, link.Parameters, ct);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                // The connection failed under us: the command is registered and recovery re-issues it.
                return;
            }
            finally
            {
                _issueLock.Release();
            }
            try
            {
                await sending;
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                // As above: recovery re-issues it.
            }
            return;
        }
    }

    /// <summary>ABORT TASK (§11.5.1 function 1) for a command in flight. The command then fails with
    /// <see cref="ScsiTaskAbortedException"/> unless its status already arrived.</summary>
    public Task<TaskManagementResponseCode> AbortTaskAsync(ScsiCommand command, CancellationToken cancellationToken = default)
        => _tasks.AbortTaskAsync(command, cancellationToken);

    /// <summary>LOGICAL UNIT RESET (§11.5.1 function 5). Commands in flight to the LUN fail with
    /// <see cref="ScsiTaskAbortedException"/>; the target then reports a unit attention.</summary>
    public Task<TaskManagementResponseCode> LunResetAsync(ulong lun, CancellationToken cancellationToken = default)
        => _tasks.LunResetAsync(lun, cancellationToken);

    /// <summary>Logs out (reason 0, close the session, RFC 7143 §11.14), waiting for commands in flight
    /// first, then closes the connection. Commands still outstanding afterwards fail.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        if (_state.IsClosing) return;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        timeout.CancelAfter(_options.CommandTimeout);
        try
        {
            // Commands already issued finish first: a logout must not cut an acknowledged write short.
            await Task.WhenAll(_pending.InFlight()).WaitAsync(timeout.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            var link = _state.BeginLogout();
            if (link is null) return;
            uint itt = _pending.NextItt();
            var waiter = _pending.RegisterImmediate(itt);
            var header = new byte[Bhs.Length];
            var (cmdSN, expStatSN) = _window.ForImmediate();
            new LogoutRequestPdu { Immediate = true, Reason = LogoutReason.CloseSession, InitiatorTaskTag = itt, Cid = 0, Sequence = new(cmdSN, expStatSN) }
                .Encode(header);
            await link.Connection.SendAsync(header, ReadOnlyMemory<byte>.Empty, timeout.Token);
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

    /// <summary>Closes the connection without logging out; outstanding commands fail.</summary>
    public ValueTask DisposeAsync() => new(CloseAsync(new ObjectDisposedException(nameof(IscsiSession), "the session was closed")));

    private async Task CloseAsync(Exception reason)
    {
        var terminal = _state.Close(reason);
        Task[] tasks;
        lock (_background) tasks = _background.ToArray();
        _lifetime.Cancel();
        var link = _state.Current;
        link?.Connection.Abort();
        link?.Outbound.Writer.TryComplete();
        _window.Close();
        _pending.FailAll(terminal);
        _state.NotifyChanged();
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        if (link is not null) await link.Connection.DisposeAsync();
    }
}
