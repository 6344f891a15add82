using SharpSan.Protocol;
using SharpSan.Scsi;

namespace SharpSan.Initiator;

/// <summary>
/// Task management (RFC 7143 §11.5): ABORT TASK and LOGICAL UNIT RESET with a response waited for,
/// and giving up on a command (cancelled or timed out): it fails at once and an ABORT TASK follows,
/// best effort, from the connection's sender loop.
/// </summary>
internal sealed class TaskManagement
{
    private readonly SessionState _state;
    private readonly CommandWindow _window;
    private readonly PendingCommands _pending;
    private readonly InitiatorOptions _options;
    private readonly CancellationToken _lifetime;

    public TaskManagement(SessionState state, CommandWindow window, PendingCommands pending, InitiatorOptions options, CancellationToken lifetime)
    {
        _state = state;
        _window = window;
        _pending = pending;
        _options = options;
        _lifetime = lifetime;
    }

    /// <summary>Fails a command we stop waiting for, and asks the target to abort it (best effort).</summary>
    public void GiveUp(PendingCommand pc, Exception error)
    {
        if (!_pending.Remove(pc)) return;
        var link = _state.Current;
        pc.TryFail(error);
        link?.Outbound.Writer.TryWrite(new OutboundWork(OutboundKind.Abort, pc, pc.Itt, 0, 0, link.Generation));
    }

    /// <summary>ABORT TASK (§11.5.1 function 1) for a command in flight. The command then fails with
    /// <see cref="ScsiTaskAbortedException"/> unless its status already arrived.</summary>
    public async Task<TaskManagementResponseCode> AbortTaskAsync(ScsiCommand command, CancellationToken cancellationToken)
    {
        var pc = _pending.Find(command);
        var response = await RequestAsync(TaskManagementFunction.AbortTask, command.Lun, command.InitiatorTaskTag, pc?.CmdSN ?? 0, cancellationToken);
        if (pc is not null && response is TaskManagementResponseCode.FunctionComplete or TaskManagementResponseCode.TaskDoesNotExist)
        {
            _pending.Remove(pc);
            pc.TryFail(new ScsiTaskAbortedException($"task 0x{pc.Itt:x8} was aborted (ABORT TASK)"));
        }
        return response;
    }

    /// <summary>LOGICAL UNIT RESET (§11.5.1 function 5). Commands in flight to the LUN fail with
    /// <see cref="ScsiTaskAbortedException"/>; the target then reports a unit attention.</summary>
    public async Task<TaskManagementResponseCode> LunResetAsync(ulong lun, CancellationToken cancellationToken)
    {
        var response = await RequestAsync(TaskManagementFunction.LogicalUnitReset, lun, Bhs.ReservedTag, 0, cancellationToken);
        if (response == TaskManagementResponseCode.FunctionComplete)
        {
            foreach (var p in _pending.RemoveForLun(lun))
                p.TryFail(new ScsiTaskAbortedException($"task 0x{p.Itt:x8} was aborted by a LUN reset"));
        }
        return response;
    }

    /// <summary>Task Management Function Request (§11.5): immediate, CmdSN not advanced.</summary>
    private async Task<TaskManagementResponseCode> RequestAsync(TaskManagementFunction function, ulong lun, uint referencedTag, uint refCmdSN, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, _lifetime);
        timeout.CancelAfter(_options.CommandTimeout);
        try
        {
            await _state.WaitReadyAsync(_options.ReplacementTimeout + _options.LoginTimeout, timeout.Token);
            uint itt = _pending.NextItt();
            var waiter = _pending.RegisterImmediate(itt);
            var header = new byte[Bhs.Length];
            var conn = _state.Current!.Connection;
            var (cmdSN, expStatSN) = _window.ForImmediate();
            new TaskManagementRequestPdu
            {
                Immediate = true,
                Function = function,
                Lun = SamLun.Encode(lun),
                InitiatorTaskTag = itt,
                ReferencedTaskTag = referencedTag,
                Sequence = new(cmdSN, expStatSN),
                // only ABORT TASK names a command (§11.5.4)
                RefCmdSN = function == TaskManagementFunction.AbortTask ? refCmdSN : 0,
            }.Encode(header);
            await conn.SendAsync(header, ReadOnlyMemory<byte>.Empty, timeout.Token);
            var rsp = await waiter.Task.WaitAsync(timeout.Token);
            return TaskManagementResponsePdu.Decode(rsp.Header).Response;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"task management function {(int)function} got no response within {_options.CommandTimeout.TotalSeconds:0.#} s");
        }
    }
}
