using SharpSan.Protocol;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Target;

internal sealed partial class IscsiConnection
{
    /// <summary>Task management function codes (RFC 7143 §11.5.1).</summary>
    private enum TmfFunction : byte
    {
        AbortTask = 1,
        AbortTaskSet = 2,
        ClearAca = 3,
        ClearTaskSet = 4,
        LogicalUnitReset = 5,
        TargetWarmReset = 6,
        TargetColdReset = 7,
        TaskReassign = 8,
    }

    /// <summary>Task management function responses (§11.6.1).</summary>
    private const byte TmfComplete = 0;
    private const byte TmfTaskDoesNotExist = 1;
    private const byte TmfLunDoesNotExist = 2;
    private const byte TmfReassignNotSupported = 4;
    private const byte TmfNotSupported = 5;
    private const byte TmfRejected = 255;

    /// <summary>
    /// Task Management Function request (§11.5). Aborted tasks get no response of their own; the TMF
    /// response goes out only after every affected task has left the SCSI engine (§4.2.3.x, SAM-5 7.x).
    /// The wait runs in the background so the read loop keeps serving the connection.
    /// </summary>
    private async ValueTask HandleTaskManagementAsync()
    {
        var tmf = TaskManagementRequestPdu.Decode(_rxHeader);
        var function = (TmfFunction)tmf.Function;
        uint itt = tmf.InitiatorTaskTag;
        uint rtt = tmf.ReferencedTaskTag;
        uint refCmdSN = tmf.RefCmdSN;
        ulong lun = SharpSan.Scsi.SamLun.Decode(new Bhs(_rxHeader).LunBytes);
        var session = Session!;
        if (!session.AcceptCmdSN(tmf.CmdSN, tmf.Immediate, consumesSlot: false)) return;

        var waits = new List<Task>();
        byte response;
        switch (function)
        {
            case TmfFunction.AbortTask:
                if (session.TryGetTask(rtt, out var task, out var generation) && task.Lun == lun)
                {
                    // Lost the race with the task's own response: to the initiator it no longer exists.
                    response = Tasks.Abort(task, generation, waits, ownerThread: true) ? TmfComplete : TmfTaskDoesNotExist;
                }
                else
                {
                    // A task we already received and answered no longer exists: "task does not exist"
                    // (the initiator got its status). §11.5.1 b): a RefCmdSN inside the window that we
                    // never received counts as received and aborted: "function complete".
                    response = SerialNumber.LessThan(refCmdSN, session.ExpCmdSN) ? TmfTaskDoesNotExist : TmfComplete;
                }
                break;

            case TmfFunction.AbortTaskSet:
            case TmfFunction.ClearTaskSet:
                if (!session.LunMap.TryGet(lun, out _))
                {
                    response = TmfLunDoesNotExist;
                    break;
                }
                foreach (var (t, g) in session.SnapshotTasksForAbort(t => t.Lun == lun)) Tasks.Abort(t, g, waits, ownerThread: true);
                response = TmfComplete;
                break;

            case TmfFunction.LogicalUnitReset:
                if (!session.LunMap.TryGet(lun, out var entry))
                {
                    response = TmfLunDoesNotExist;
                    break;
                }
                // SAM-5 6.3.x: a LUN reset aborts every task in the LU's task set, from every nexus.
                foreach (var s in Server.SessionsSnapshot())
                    if (s.Connection is { } c)
                        foreach (var (t, g) in s.SnapshotTasksForAbort(t => t.Scsi.Entry.Unit == entry.Unit))
                            c.Tasks.Abort(t, g, waits, ownerThread: ReferenceEquals(c, this));
                entry.Unit.Reset(session.Nexus);
                Log.Info($"LUN RESET of LUN {lun} by {session.InitiatorName}");
                response = TmfComplete;
                break;

            case TmfFunction.TargetWarmReset:
            case TmfFunction.TargetColdReset:
                ResetTarget(waits, function == TmfFunction.TargetColdReset);
                response = TmfComplete;
                break;

            case TmfFunction.ClearAca:
                // We never establish ACA (NACA=1 is refused), so there is nothing to clear.
                response = TmfNotSupported;
                break;

            case TmfFunction.TaskReassign:
                // Needs ErrorRecoveryLevel 2 (§6.2.2); we negotiate 0.
                response = TmfReassignNotSupported;
                break;

            default:
                response = TmfRejected;
                break;
        }

        if (waits.Count == 0)
        {
            await SendTmfResponseAsync(itt, response);
            if (function == TmfFunction.TargetColdReset) DropTargetSessions();
            return;
        }
        _ = RespondAfterAsync(Task.WhenAll(waits), itt, response, function == TmfFunction.TargetColdReset);
    }

    private async Task RespondAfterAsync(Task waits, uint itt, byte response, bool coldReset)
    {
        try
        {
            await waits.WaitAsync(Options.DrainTimeout, _cts.Token);
            await SendTmfResponseAsync(itt, response);
            if (coldReset) DropTargetSessions();
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            Log.Debug($"connection {Remote}: task management response not sent: {ex.Message}");
        }
    }

    /// <summary>TARGET WARM/COLD RESET (SAM-5 6.x): abort every task of every session of this target
    /// and reset its logical units.</summary>
    private void ResetTarget(List<Task> waits, bool cold)
    {
        var target = Session!.Tpg!.Target;
        var units = new HashSet<Scsi.LogicalUnit>();
        foreach (var s in Server.SessionsSnapshot())
        {
            if (!ReferenceEquals(s.Tpg?.Target, target)) continue;
            if (s.Connection is { } c)
                foreach (var (t, g) in s.SnapshotTasksForAbort())
                    c.Tasks.Abort(t, g, waits, ownerThread: ReferenceEquals(c, this));
            foreach (var e in s.LunMap.Entries) units.Add(e.Unit);
        }
        foreach (var tpg in target.Tpgs)
            foreach (var lu in tpg.Luns.Values) units.Add(lu);
        foreach (var lu in units) lu.Reset(Session.Nexus);
        Log.Info($"TARGET {(cold ? "COLD" : "WARM")} RESET of {target.Name} by {Session.InitiatorName}");
    }

    /// <summary>After a cold reset every session of the target ends (SAM-5: a hard reset).</summary>
    private void DropTargetSessions()
    {
        var target = Session!.Tpg!.Target;
        foreach (var s in Server.SessionsSnapshot())
            if (ReferenceEquals(s.Tpg?.Target, target)) s.Connection?.Abort();
    }

    private async ValueTask SendTmfResponseAsync(uint itt, byte response)
    {
        var h = ConnectionWriter.RentHeader();
        new TaskManagementResponsePdu { Response = (TaskManagementResponseCode)response, InitiatorTaskTag = itt }.Encode(h);
        await Writer.SendAsync(h, ReadOnlyMemory<byte>.Empty, StatSnUse.Advance);
    }
}
