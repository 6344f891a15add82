using SharpSan.Scsi;
using System.Buffers;
using System.Diagnostics;
using SharpSan.Protocol;

namespace SharpSan.Initiator;

public sealed partial class IscsiSession
{
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
            var (session, p) = ((IscsiSession, PendingCommand))s!;
            session.GiveUp(p, new OperationCanceledException("the command was cancelled"));
        }, (this, pc));
        return await pc.Task;
    }

    /// <summary>Fails a command we stop waiting for, and asks the target to abort it (best effort).</summary>
    private void GiveUp(PendingCommand pc, Exception error)
    {
        int generation;
        lock (_lock)
        {
            if (!_pending.Remove(pc.Itt)) return;
            generation = _generation;
        }
        pc.TryFail(error);
        _outbound.Writer.TryWrite(new OutboundWork(OutboundKind.Abort, pc, pc.Itt, 0, 0, generation));
    }

    /// <summary>Waits for a connected session, then for CmdSN window space, and sends the command.
    /// A command whose send fails stays registered: recovery sends it again.</summary>
    private async Task IssueAsync(PendingCommand pc, CancellationToken ct)
    {
        while (true)
        {
            await WaitReadyAsync(ct);
            await _issueLock.WaitAsync(ct);
            Task sending;
            try
            {
                InitiatorConnection conn;
                int generation;
                lock (_lock)
                {
                    if (_terminal is not null) throw new IscsiSessionException(_terminal.Message, _terminal);
                    if (!_connected) continue;
                    conn = _conn;
                    generation = _generation;
                }
                if (!await WaitWindowAsync(generation, ct)) continue;
                lock (_lock)
                {
                    pc.Itt = NextIttLocked();
                    pc.CmdSN = _cmdSN++;
                    pc.ResetForReissue(generation);
                    pc.Command.InitiatorTaskTag = pc.Itt;
                    _pending[pc.Itt] = pc;
                }
                // The command PDU joins the connection's outgoing batch before SendCommandAsync first
                // yields, so CmdSN order is wire order; waiting for the socket write happens outside the
                // lock, letting the next commands join the same batch (one send for many commands).
                sending = SendCommandAsync(conn, pc, ct);
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

    private uint NextIttLocked()
    {
        uint itt = _nextItt++;
        if (_nextItt == Bhs.ReservedTag) _nextItt = 0x10;
        return itt;
    }

    /// <summary>Waits until a connection is up. Throws once the session has failed for good.</summary>
    private async Task WaitReadyAsync(CancellationToken ct)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_terminal is not null) throw new IscsiSessionException(_terminal.Message, _terminal);
                if (_connected) return;
                wait = _stateChanged.WaitTask;
            }
            await wait.WaitAsync(_options.ReplacementTimeout + _options.LoginTimeout, ct);
        }
    }

    /// <summary>§4.2.2.1: a non-immediate command may be sent only when CmdSN ≤ MaxCmdSN (RFC 1982).
    /// Returns false when the connection changed while waiting.</summary>
    private async Task<bool> WaitWindowAsync(int generation, CancellationToken ct)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_generation != generation || !_connected) return false;
                if (SerialNumber.LessOrEqual(_cmdSN, _maxCmdSN)) return true;
                wait = _stateChanged.WaitTask;
            }
            var left = _options.CommandTimeout - Stopwatch.GetElapsedTime(start);
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"the target kept its command window closed for {_options.CommandTimeout.TotalSeconds:0.#} s");
            try
            {
                await wait.WaitAsync(left, ct);
            }
            catch (TimeoutException)
            {
            }
        }
    }

    /// <summary>SCSI Command PDU (§11.3) with immediate data, then unsolicited Data-Out up to
    /// FirstBurstLength when InitialR2T=No (§13.10, §13.11).</summary>
    private async Task SendCommandAsync(InitiatorConnection conn, PendingCommand pc, CancellationToken ct)
    {
        var cmd = pc.Command;
        var p = Parameters;
        int edtl = cmd.ExpectedLength;
        bool write = cmd.Direction == ScsiDataDirection.Write;
        int immediate = 0, unsolicitedEnd = 0;
        if (write)
        {
            int firstBurst = Math.Min(edtl, p.FirstBurstLength);
            if (p.ImmediateData) immediate = Math.Min(firstBurst, p.MaxXmitDataSegmentLength);
            unsolicitedEnd = p.InitialR2T ? immediate : firstBurst;
        }
        bool final = unsolicitedEnd <= immediate;
        var header = ArrayPool<byte>.Shared.Rent(Bhs.Length);
        try
        {
            uint expStatSN;
            lock (_lock) expStatSN = _expStatSN;
            new ScsiCommandPdu
            {
                Final = final,
                Read = cmd.Direction == ScsiDataDirection.Read,
                Write = write,
                Attribute = ScsiTaskAttribute.Simple,
                Lun = SamLun.Encode(cmd.Lun),
                InitiatorTaskTag = pc.Itt,
                ExpectedDataTransferLength = (uint)edtl,
                CmdSN = pc.CmdSN,
                ExpStatSN = expStatSN,
                Cdb = cmd.Cdb.Span,
            }.Encode(header, immediate);
            await conn.SendAsync(header.AsMemory(0, Bhs.Length), cmd.Buffer[..immediate], ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
        if (unsolicitedEnd > immediate)
            await SendDataOutAsync(conn, pc, Bhs.ReservedTag, immediate, unsolicitedEnd - immediate, ct);
    }

    /// <summary>Data-Out PDUs (§11.7) for [offset, offset+length): each at most the target's
    /// MaxRecvDataSegmentLength, DataSN from 0 per sequence, F on the last.</summary>
    private async Task SendDataOutAsync(InitiatorConnection conn, PendingCommand pc, uint ttt, int offset, int length, CancellationToken ct)
    {
        int max = Parameters.MaxXmitDataSegmentLength;
        var header = ArrayPool<byte>.Shared.Rent(Bhs.Length);
        try
        {
            uint dataSN = 0;
            int end = offset + length;
            while (offset < end)
            {
                int n = Math.Min(max, end - offset);
                bool last = offset + n == end;
                uint expStatSN;
                lock (_lock) expStatSN = _expStatSN;
                new DataOutPdu
                {
                    Final = last,
                    Lun = SamLun.Encode(pc.Command.Lun),
                    InitiatorTaskTag = pc.Itt,
                    TargetTransferTag = ttt,
                    ExpStatSN = expStatSN,
                    DataSN = dataSN++,
                    BufferOffset = (uint)offset,
                }.Encode(header, n);
                await conn.SendAsync(header.AsMemory(0, Bhs.Length), pc.Command.Buffer.Slice(offset, n), ct);
                offset += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
    }

    /// <summary>ABORT TASK (§11.5.1 function 1) for a command in flight. The command then fails with
    /// <see cref="ScsiTaskAbortedException"/> unless its status already arrived.</summary>
    public async Task<TaskManagementResponse> AbortTaskAsync(ScsiCommand command, CancellationToken cancellationToken = default)
    {
        PendingCommand? pc = null;
        lock (_lock)
        {
            if (_pending.TryGetValue(command.InitiatorTaskTag, out var p) && ReferenceEquals(p.Command, command)) pc = p;
        }
        var response = await TaskManagementAsync(1, command.Lun, command.InitiatorTaskTag, pc?.CmdSN ?? 0, cancellationToken);
        if (pc is not null && response is TaskManagementResponse.FunctionComplete or TaskManagementResponse.TaskDoesNotExist)
        {
            lock (_lock)
            {
                if (_pending.TryGetValue(pc.Itt, out var p) && ReferenceEquals(p, pc)) _pending.Remove(pc.Itt);
            }
            pc.TryFail(new ScsiTaskAbortedException($"task 0x{pc.Itt:x8} was aborted (ABORT TASK)"));
        }
        return response;
    }

    /// <summary>LOGICAL UNIT RESET (§11.5.1 function 5). Commands in flight to the LUN fail with
    /// <see cref="ScsiTaskAbortedException"/>; the target then reports a unit attention.</summary>
    public async Task<TaskManagementResponse> LunResetAsync(ulong lun, CancellationToken cancellationToken = default)
    {
        var response = await TaskManagementAsync(5, lun, Bhs.ReservedTag, 0, cancellationToken);
        if (response == TaskManagementResponse.FunctionComplete)
        {
            List<PendingCommand> aborted;
            lock (_lock)
            {
                aborted = _pending.Values.Where(p => p.Command.Lun == lun).ToList();
                foreach (var p in aborted) _pending.Remove(p.Itt);
            }
            foreach (var p in aborted) p.TryFail(new ScsiTaskAbortedException($"task 0x{p.Itt:x8} was aborted by a LUN reset"));
        }
        return response;
    }

    /// <summary>Task Management Function Request (§11.5): immediate, CmdSN not advanced.</summary>
    private async Task<TaskManagementResponse> TaskManagementAsync(int function, ulong lun, uint referencedTag, uint refCmdSN, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, _lifetime.Token);
        timeout.CancelAfter(_options.CommandTimeout);
        try
        {
            await WaitReadyAsync(timeout.Token);
            uint itt = NextItt();
            var waiter = RegisterImmediate(itt);
            var header = new byte[Bhs.Length];
            InitiatorConnection conn;
            uint cmdSN, expStatSN;
            lock (_lock)
            {
                conn = _conn;
                cmdSN = _cmdSN;
                expStatSN = _expStatSN;
            }
            new TaskManagementRequestPdu
            {
                Immediate = true,
                Function = (TaskManagementFunction)function,
                Lun = SamLun.Encode(lun),
                InitiatorTaskTag = itt,
                ReferencedTaskTag = referencedTag,
                CmdSN = cmdSN,
                ExpStatSN = expStatSN,
                RefCmdSN = function == 1 ? refCmdSN : 0, // only ABORT TASK names a command (§11.5.4)
            }.Encode(header);
            await conn.SendAsync(header, ReadOnlyMemory<byte>.Empty, timeout.Token);
            var rsp = await waiter.Task.WaitAsync(timeout.Token);
            return (TaskManagementResponse)TaskManagementResponsePdu.Decode(rsp.Header).Response;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"task management function {function} got no response within {_options.CommandTimeout.TotalSeconds:0.#} s");
        }
    }
}
