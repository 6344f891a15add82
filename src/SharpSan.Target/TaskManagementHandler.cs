using SharpSan.Target.Diagnostics;

namespace SharpSan.Target;

/// <summary>
/// Task Management Function requests of a connection (RFC 7143 §11.5, §11.6): ABORT TASK, ABORT/CLEAR
/// TASK SET, LOGICAL UNIT RESET and TARGET WARM/COLD RESET, answered once every affected task has left
/// the SCSI engine.
/// </summary>
internal sealed class TaskManagementHandler
{
    private readonly IscsiConnection _connection;
    private readonly ConnectionWriter _writer;
    private readonly ScsiTaskRunner _tasks;
    private readonly byte[] _rxHeader;

    public TaskManagementHandler(IscsiConnection connection, ConnectionWriter writer, ScsiTaskRunner tasks)
    {
        _connection = connection;
        _writer = writer;
        _tasks = tasks;
        _rxHeader = connection.ReceivedHeader;
    }

    private IscsiSession Session => _connection.Session!;
    private IscsiTargetServer Server => _connection.Server;

    /// <summary>
    /// Task Management Function request (§11.5). Aborted tasks get no response of their own; the TMF
    /// response goes out only after every affected task has left the SCSI engine (§4.2.3.x, SAM-5 7.x).
    /// The wait runs in the background so the read loop keeps serving the connection.
    /// </summary>
    public async ValueTask HandleAsync()
    {
        var tmf = TaskManagementRequestPdu.Decode(_rxHeader);
        var function = tmf.Function;
        uint itt = tmf.InitiatorTaskTag;
        uint rtt = tmf.ReferencedTaskTag;
        uint refCmdSN = tmf.RefCmdSN;
        ulong lun = SharpSan.Scsi.SamLun.Decode(new Bhs(_rxHeader).LunBytes);
        var session = Session;
        if (!session.AcceptCmdSN(tmf.Sequence.CmdSN, tmf.Immediate, consumesSlot: false)) return;

        var waits = new List<Task>();
        TaskManagementResponseCode response;
        switch (function)
        {
            case TaskManagementFunction.AbortTask:
                if (session.TryGetTask(rtt, out var task, out var generation) && task.Lun == lun)
                {
                    // Lost the race with the task's own response: to the initiator it no longer exists.
                    response = _tasks.Abort(task, generation, waits, ownerThread: true)
                        ? TaskManagementResponseCode.FunctionComplete
                        : TaskManagementResponseCode.TaskDoesNotExist;
                }
                else
                {
                    // A task we already received and answered no longer exists: "task does not exist"
                    // (the initiator got its status). §11.5.1 b): a RefCmdSN inside the window that we
                    // never received counts as received and aborted: "function complete".
                    response = SerialNumber.LessThan(refCmdSN, session.ExpCmdSN)
                        ? TaskManagementResponseCode.TaskDoesNotExist
                        : TaskManagementResponseCode.FunctionComplete;
                }
                break;

            case TaskManagementFunction.AbortTaskSet:
                // SAM-5 7.3: only the tasks of the issuing I_T nexus; they end without a response.
                if (!session.LunMap.TryGet(lun, out _))
                {
                    response = TaskManagementResponseCode.LunDoesNotExist;
                    break;
                }
                foreach (var (t, g) in session.SnapshotTasksForAbort(t => t.Lun == lun)) _tasks.Abort(t, g, waits, ownerThread: true);
                response = TaskManagementResponseCode.FunctionComplete;
                break;

            case TaskManagementFunction.ClearTaskSet:
                // SAM-5 7.4: every task of the logical unit, from every I_T nexus. Another nexus whose
                // tasks ended silently (TAS=0) hears of it by COMMANDS CLEARED BY ANOTHER INITIATOR.
                if (!session.LunMap.TryGet(lun, out var cleared))
                {
                    response = TaskManagementResponseCode.LunDoesNotExist;
                    break;
                }
                AbortTaskSetOfEveryNexus(cleared.Unit, waits, commandsClearedUnitAttention: true);
                Log.Info($"CLEAR TASK SET of LUN {lun} by {session.InitiatorName}");
                response = TaskManagementResponseCode.FunctionComplete;
                break;

            case TaskManagementFunction.LogicalUnitReset:
                if (!session.LunMap.TryGet(lun, out var entry))
                {
                    response = TaskManagementResponseCode.LunDoesNotExist;
                    break;
                }
                // SAM-5 7.7: a LUN reset aborts every task in the LU's task set, from every nexus; the
                // reset's own unit attention tells the other nexuses, so no 0x2F/0x00 is added.
                AbortTaskSetOfEveryNexus(entry.Unit, waits, commandsClearedUnitAttention: false);
                // Every nexus of the LU gets BUS DEVICE RESET FUNCTION OCCURRED, the requester's too
                // (LIO's target_dev_ua_allocate after a LUN reset; libiscsi's MultipathIO.Reset and
                // PreventAllow.LunReset expect it on every path).
                entry.Unit.Reset(null);
                Log.Info($"LUN RESET of LUN {lun} by {session.InitiatorName}");
                response = TaskManagementResponseCode.FunctionComplete;
                break;

            case TaskManagementFunction.TargetWarmReset:
            case TaskManagementFunction.TargetColdReset:
                ResetTarget(waits, function == TaskManagementFunction.TargetColdReset);
                response = TaskManagementResponseCode.FunctionComplete;
                break;

            case TaskManagementFunction.ClearAca:
                // We never establish ACA (NACA=1 is refused), so there is nothing to clear.
                response = TaskManagementResponseCode.FunctionNotSupported;
                break;

            case TaskManagementFunction.TaskReassign:
                // Needs ErrorRecoveryLevel 2 (§6.2.2); we negotiate 0.
                response = TaskManagementResponseCode.TaskAllegianceReassignmentNotSupported;
                break;

            default:
                response = TaskManagementResponseCode.FunctionRejected;
                break;
        }

        bool coldReset = function == TaskManagementFunction.TargetColdReset;
        if (waits.Count == 0)
        {
            await SendResponseAsync(itt, response);
            if (coldReset) DropTargetSessions();
            return;
        }
        _ = RespondAfterAsync(Task.WhenAll(waits), itt, response, coldReset);
    }

    private async Task RespondAfterAsync(Task waits, uint itt, TaskManagementResponseCode response, bool coldReset)
    {
        try
        {
            await waits.WaitAsync(_connection.Server.Options.DrainTimeout, _connection.Closing);
            await SendResponseAsync(itt, response);
            if (coldReset) DropTargetSessions();
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            Log.Debug($"connection {_connection.Remote}: task management response not sent: {ex.Message}");
        }
    }

    /// <summary>
    /// Aborts every task of <paramref name="unit"/> from every session (SAM-5 5.6). The issuing
    /// session's tasks end without a response (RFC 7143 §11.5.1). Those of other I_T nexuses follow the
    /// unit's TAS bit (SPC-4 7.5.8): TASK ABORTED status when it is one; otherwise no response, and,
    /// with <paramref name="commandsClearedUnitAttention"/>, COMMANDS CLEARED BY ANOTHER INITIATOR
    /// (0x2F/0x00) for each nexus that lost a command. Every affected task is added to
    /// <paramref name="waits"/>, so the TMF response follows their own responses (RFC 7143 §11.6.2).
    /// </summary>
    private void AbortTaskSetOfEveryNexus(Scsi.LogicalUnit unit, List<Task> waits, bool commandsClearedUnitAttention)
    {
        bool tas = unit.TaskAbortedStatus;
        foreach (var s in Server.SessionsSnapshot())
        {
            if (s.Connection is not { } c) continue;
            bool issuer = ReferenceEquals(s, Session);
            int aborted = 0;
            foreach (var (t, g) in s.SnapshotTasksForAbort(t => t.Scsi.Entry.Unit == unit))
                if (c.Tasks.Abort(t, g, waits, ownerThread: ReferenceEquals(c, _connection), reportStatus: !issuer && tas))
                    aborted++;
            if (!issuer && !tas && commandsClearedUnitAttention && aborted > 0 && s.Nexus is { } nexus)
                unit.CommandsClearedByAnotherInitiator(nexus);
        }
    }

    /// <summary>
    /// TARGET WARM/COLD RESET (RFC 7143 §11.5.1; SAM-2's TARGET RESET): a logical unit reset of every
    /// unit of this target, so every task of them is aborted (TAS as for a LUN reset) and every nexus,
    /// the requester's included, gets BUS DEVICE RESET FUNCTION OCCURRED (0x29/0x03, SPC-4 annex D).
    /// A cold reset then drops every session (<see cref="DropTargetSessions"/>), and each nexus hears
    /// I_T NEXUS LOSS OCCURRED when it logs in again.
    /// </summary>
    private void ResetTarget(List<Task> waits, bool cold)
    {
        var session = Session;
        var target = session.Tpg!.Target;
        var units = new HashSet<Scsi.LogicalUnit>();
        foreach (var s in Server.SessionsSnapshot())
        {
            if (!ReferenceEquals(s.Tpg?.Target, target)) continue;
            foreach (var e in s.LunMap.Entries) units.Add(e.Unit);
        }
        foreach (var tpg in target.Tpgs)
            foreach (var lu in tpg.Luns.Values) units.Add(lu);
        foreach (var lu in units) AbortTaskSetOfEveryNexus(lu, waits, commandsClearedUnitAttention: false);
        foreach (var lu in units) lu.Reset(null);
        Log.Info($"TARGET {(cold ? "COLD" : "WARM")} RESET of {target.Name} by {session.InitiatorName}");
    }

    /// <summary>After a cold reset every session of the target ends (SAM-5: a hard reset).</summary>
    private void DropTargetSessions()
    {
        var target = Session.Tpg!.Target;
        foreach (var s in Server.SessionsSnapshot())
            if (ReferenceEquals(s.Tpg?.Target, target)) s.Connection?.Abort();
    }

    private async ValueTask SendResponseAsync(uint itt, TaskManagementResponseCode response)
    {
        var h = ConnectionWriter.RentHeader();
        new TaskManagementResponsePdu { Response = response, InitiatorTaskTag = itt }.Encode(h);
        await _writer.SendAsync(h, ReadOnlyMemory<byte>.Empty, StatSnUse.Advance);
    }
}
