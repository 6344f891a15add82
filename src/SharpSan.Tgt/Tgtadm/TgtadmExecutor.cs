using SharpSan.Control;
using SharpSan.Tgt.Show;
using SharpSan.Tgt.Tree;

namespace SharpSan.Tgt.Tgtadm;

/// <summary>
/// Carries out a parsed tgtadm request against the daemon, as tgtd's usr/mgmt.c mtask_execute
/// dispatches it: shows read the tree (and the sessions); changes read the tree, change it, and put
/// the whole tree back with the generation it was read at, again from the start if someone else
/// changed it meanwhile. A refused change leaves the daemon as it was.
/// </summary>
internal sealed class TgtadmExecutor(IControlClient client)
{
    private const int Attempts = 5;

    public async Task<TgtadmOutcome> RunAsync(TgtadmRequest r, CancellationToken ct = default)
    {
        try
        {
            // mtask_execute: an empty --lld is the first driver; iser is registered but never ready.
            if (r.Lld.Length > 0 && r.Lld != "iscsi")
                throw new TgtadmException(TgtadmError.NoDriver);
            return await DispatchAsync(r, ct).ConfigureAwait(false);
        }
        catch (TgtadmException ex)
        {
            return TgtadmOutcome.Fail(TgtadmOutcome.Einval, ex.Message);
        }
        catch (ControlException ex) when (ex.Kind == ControlErrorKind.Unavailable)
        {
            // tgtadm's text when tgtd is not there, and its exit code (ENOTCONN).
            return TgtadmOutcome.Fail(TgtadmOutcome.Enotconn,
                $"failed to send request hdr to tgt daemon, Transport endpoint is not connected ({ex.Message})");
        }
        catch (ControlException ex)
        {
            return TgtadmOutcome.Fail(TgtadmOutcome.Einval, $"{TgtadmErrors.Text(TgtadmError.InvalidRequest)} (sharpsand: {ex.Message})");
        }
        catch (Config.ConfigException ex)
        {
            // The daemon's tree did not read back here: a tool older than the daemon.
            return TgtadmOutcome.Fail(TgtadmOutcome.Einval, $"{TgtadmErrors.Text(TgtadmError.UnknownErr)} ({ex.Message})");
        }
    }

    private Task<TgtadmOutcome> DispatchAsync(TgtadmRequest r, CancellationToken ct)
    {
        if (TgtadmOperations.Change(r) is { } change)
            return ChangeAsync(change, ct, sessions: TgtadmOperations.NeedsSessions(r));
        return (r.Mode, r.Op) switch
        {
            (TgtadmMode.System, TgtadmOp.Show) => ShowAsync(t => TgtInfoShow.System(t), ct),
            (TgtadmMode.System, TgtadmOp.Delete) => ShowAsync(t => throw (t.Targets.Any()
                ? new TgtadmException(TgtadmError.InvalidRequest)
                : new TgtadmException(TgtadmError.UnsupportedOperation, "stop sharpsand with its service (systemctl stop tgt)")), ct),
            (TgtadmMode.Target, TgtadmOp.Show) when r.Tid < 0 => ShowAsync((t, s) => TgtTargetShow.All(t, s), ct, sessions: true),
            (TgtadmMode.Target, TgtadmOp.Show) => ShowAsync(t => TgtInfoShow.TargetParameters(t, r.Tid), ct),
            (TgtadmMode.Account, TgtadmOp.Show) => ShowAsync(t => TgtInfoShow.Accounts(t), ct),
            (TgtadmMode.Portal, TgtadmOp.Show) => ShowAsync(t => TgtPortalOps.Show(t), ct),
            (TgtadmMode.Lld, TgtadmOp.Start) => Task.FromResult(TgtadmOutcome.Ok()),
            // lld_mgmt OP_STOP: refused while the driver has targets; SharpSAN's iSCSI engine also serves
            // the targetcli targets, so a stop without tgt targets is accepted and changes nothing.
            (TgtadmMode.Lld, TgtadmOp.Stop) => ShowAsync(t => t.Targets.Any() ? throw new TgtadmException(TgtadmError.DriverActive) : "", ct),
            (TgtadmMode.Lld, TgtadmOp.Show) => ShowAsync(t => TgtInfoShow.Lld(t), ct),
            (TgtadmMode.Connection, TgtadmOp.Show) => ShowAsync((t, s) => TgtInfoShow.Connections(t, r.Tid, s), ct, sessions: true),
            (TgtadmMode.System, TgtadmOp.Stats) => StatAsync(s => s.System(), ct),
            (TgtadmMode.Target, TgtadmOp.Stats) => StatAsync(s => s.Target(r.Tid), ct),
            (TgtadmMode.Device, TgtadmOp.Stats) => StatAsync(s => s.Lun(r.Tid, r.Lun), ct),
            (TgtadmMode.Session, TgtadmOp.Stats) => StatAsync(s => s.Session(r.Sid), ct),
            (TgtadmMode.Connection, TgtadmOp.Stats) => StatAsync(s => s.Connection(r.Sid, r.Cid), ct),
            (TgtadmMode.Connection, TgtadmOp.Delete) => CloseConnectionAsync(r, ct),
            _ => throw new TgtadmException(TgtadmError.InvalidRequest),
        };
    }

    private async Task<TgtadmOutcome> StatAsync(Func<TgtStatShow, string> show, CancellationToken ct)
    {
        var snapshot = await client.GetConfigAsync(ct).ConfigureAwait(false);
        var sessions = await client.GetSessionsAsync(ct).ConfigureAwait(false);
        var stats = await client.GetStatisticsAsync(ct).ConfigureAwait(false);
        return TgtadmOutcome.Ok(show(new TgtStatShow(new TgtTree(snapshot.Config), sessions, stats)));
    }

    /// <summary>usr/iscsi/conn.c conn_close_admin: the target, then its session by TSIH, then the
    /// connection; tgtd closes it at once (at ERL 0 the session ends with it).</summary>
    private async Task<TgtadmOutcome> CloseConnectionAsync(TgtadmRequest r, CancellationToken ct)
    {
        var snapshot = await client.GetConfigAsync(ct).ConfigureAwait(false);
        var sessions = await client.GetSessionsAsync(ct).ConfigureAwait(false);
        var target = TgtTargetOps.Require(new TgtTree(snapshot.Config), r.Tid);
        var session = TgtTargetOps.NexusesOf(target, sessions).FirstOrDefault(s => s.Tsih == r.Sid)
            ?? throw new TgtadmException(TgtadmError.NoSession);
        if (!session.Connections.Any(c => c.Cid == r.Cid))
            throw new TgtadmException(TgtadmError.NoConnection);
        try
        {
            await client.CloseConnectionAsync(session.Tsih, (ushort)r.Cid, ct).ConfigureAwait(false);
        }
        catch (ControlException ex) when (ex.Kind == ControlErrorKind.NotFound)
        {
            throw new TgtadmException(TgtadmError.NoConnection);
        }
        return TgtadmOutcome.Ok();
    }

    private Task<TgtadmOutcome> ShowAsync(Func<TgtTree, string> show, CancellationToken ct)
        => ShowAsync((t, _) => show(t), ct, sessions: false);

    private async Task<TgtadmOutcome> ShowAsync(Func<TgtTree, IReadOnlyList<SessionInfo>, string> show, CancellationToken ct, bool sessions)
    {
        var snapshot = await client.GetConfigAsync(ct).ConfigureAwait(false);
        var list = sessions ? await client.GetSessionsAsync(ct).ConfigureAwait(false) : [];
        return TgtadmOutcome.Ok(show(new TgtTree(snapshot.Config), list));
    }

    private async Task<TgtadmOutcome> ChangeAsync(Action<TgtTree, IReadOnlyList<SessionInfo>> change, CancellationToken ct, bool sessions)
    {
        for (var attempt = 1; ; attempt++)
        {
            var snapshot = await client.GetConfigAsync(ct).ConfigureAwait(false);
            var list = sessions ? await client.GetSessionsAsync(ct).ConfigureAwait(false) : [];
            var tree = new TgtTree(snapshot.Config);
            change(tree, list);
            try
            {
                await client.PutConfigAsync(tree.Config, snapshot.Generation, ct).ConfigureAwait(false);
                return TgtadmOutcome.Ok();
            }
            catch (ControlException ex) when (ex.Kind == ControlErrorKind.Conflict && attempt < Attempts)
            {
                // Another tool changed the tree between our read and our write: do it again on the new tree.
            }
        }
    }
}
