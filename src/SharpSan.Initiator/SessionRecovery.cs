using System.Diagnostics;
using System.Net;

namespace SharpSan.Initiator;

/// <summary>
/// Recovery from a lost connection at ERL 0: session reinstatement (RFC 7143 §6.3.5: same ISID,
/// TSIH 0, so the target drops the old session), then every command without status is sent again
/// in its original order with a new CmdSN. Gives up after ReplacementTimeout: the commands fail
/// and the session has failed for good.
/// </summary>
internal sealed class SessionRecovery
{
    private readonly SessionState _state;
    private readonly CommandWindow _window;
    private readonly PendingCommands _pending;
    private readonly CommandSender _sender;
    private readonly Keepalive _keepalive;
    private readonly InitiatorOptions _options;
    private readonly SemaphoreSlim _issueLock;
    private readonly CancellationToken _lifetime;
    private readonly IPEndPoint _portal;
    private readonly string _targetName;
    private readonly Func<InitiatorConnection, LoginOutcome, ActiveConnection?> _install;
    private Task? _recovery;
    private int _count;

    // issueLock is held while commands are issued: recovery takes it to install the new connection
    // and re-issue, so new commands queue behind the retried ones. install makes a logged-in
    // connection current and starts its loops (null when the session is closing).
    public SessionRecovery(SessionState state, CommandWindow window, PendingCommands pending, CommandSender sender, Keepalive keepalive,
        InitiatorOptions options, SemaphoreSlim issueLock, CancellationToken lifetime, IPEndPoint portal, string targetName,
        Func<InitiatorConnection, LoginOutcome, ActiveConnection?> install)
    {
        _state = state;
        _window = window;
        _pending = pending;
        _sender = sender;
        _keepalive = keepalive;
        _options = options;
        _issueLock = issueLock;
        _lifetime = lifetime;
        _portal = portal;
        _targetName = targetName;
        _install = install;
    }

    /// <summary>How many times the session has been re-established.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>A connection ended (error, closed socket, NOP timeout). Unless the session is closing,
    /// recovery starts: outstanding commands stay registered and wait for it.</summary>
    public void ConnectionFailed(int generation, string reason)
    {
        var link = _state.Disconnect(generation, out bool closing);
        if (link is null) return;
        _keepalive.Reset();
        _window.Close();
        if (!closing) _recovery = RecoverAsync(reason, link.Parameters.DefaultTime2Wait);
        link.Connection.Abort();
        link.Outbound.Writer.TryComplete();
        _state.NotifyChanged();
    }

    private async Task RecoverAsync(string reason, int defaultTime2Wait)
    {
        await Task.Yield();
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.ReplacementTimeout.TotalSeconds * Stopwatch.Frequency);
        Exception? last = null;
        var delay = TimeSpan.FromSeconds(Math.Clamp(defaultTime2Wait, 0, 2));
        try
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(delay, _lifetime);
                delay = TimeSpan.FromSeconds(1);
                InitiatorConnection conn;
                LoginOutcome outcome;
                try
                {
                    (conn, outcome) = await LoginConnector.ConnectAsync(_portal, _options, _targetName, _lifetime);
                }
                catch (Exception ex) when (!_lifetime.IsCancellationRequested)
                {
                    last = ex;
                    continue;
                }
                await _issueLock.WaitAsync(_lifetime);
                try
                {
                    var link = _install(conn, outcome);
                    if (link is null)
                    {
                        conn.Abort(); // the session is closing
                        return;
                    }
                    Interlocked.Increment(ref _count);
                    await ReissueAsync(link);
                }
                finally
                {
                    _issueLock.Release();
                }
                return;
            }
        }
        catch (OperationCanceledException)
        {
            return; // the session is closing
        }
        var error = new IscsiSessionException(
            $"the connection to {_targetName} at {_portal} was lost ({reason}) and not re-established within {_options.ReplacementTimeout.TotalSeconds:0.#} s" +
            (last is null ? "" : $": {last.Message}"), last);
        _state.Fail(error);
        _pending.FailAll(error);
        _state.NotifyChanged();
    }

    /// <summary>Sends the outstanding commands again, oldest first, within the new command window.</summary>
    private async Task ReissueAsync(ActiveConnection link)
    {
        foreach (var pc in _pending.InIssueOrder())
        {
            if (pc.IsCompleted) continue;
            try
            {
                if (!await _window.WaitForSpaceAsync(link.Generation, _options.CommandTimeout, _lifetime)) return;
                pc.CmdSN = _window.Allocate();
                pc.ResetForReissue(link.Generation);
                await _sender.SendCommandAsync(link.Connection, pc, link.Parameters, _lifetime);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or TimeoutException)
            {
                return; // this connection failed too; the next recovery round re-issues what is left
            }
        }
    }
}
