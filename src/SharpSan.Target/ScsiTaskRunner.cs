using System.Buffers;
using System.Buffers.Binary;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Target;

/// <summary>
/// Runs a connection's SCSI tasks once their data is here: inline on the receive loop or on the pool,
/// then answers them (Data-In with phase collapse, or SCSI Response with sense), and finishes them
/// (task table, command window, pooled buffers, task management waiters). Also owns the task pool
/// and the abort of a single task.
/// </summary>
internal sealed class ScsiTaskRunner
{
    private readonly IscsiConnection _connection;
    private readonly ConnectionWriter _writer;
    private readonly Stack<IscsiTask> _taskPool = new();

    public ScsiTaskRunner(IscsiConnection connection, ConnectionWriter writer)
    {
        _connection = connection;
        _writer = writer;
    }

    public IscsiTask Rent()
    {
        lock (_taskPool)
        {
            if (_taskPool.TryPop(out var t)) return t;
        }
        return new IscsiTask();
    }

    /// <summary>
    /// Runs a command whose data is all here. When the SCSI engine can do it without blocking (a READ
    /// or WRITE served from memory or the page cache) it runs right here on the receive loop and its
    /// response is written without a flush: the loop flushes once it has no complete PDU left, so a
    /// batch of commands costs one send and no thread hop. Anything that could block runs on the pool.
    /// </summary>
    public ValueTask StartExecutionAsync(IscsiTask task)
    {
        task.Executing = true;
        CountSubmitted(task);
        bool done;
        try
        {
            done = ScsiDispatcher.TryExecuteInline(task.Scsi);
        }
        catch (Exception ex)
        {
            FailEngine(task, ex);
            done = true;
        }
        if (done) return RespondAsync(task, flush: false);
        ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Runner.ExecuteAsync(state.Task), (Runner: this, Task: task), preferLocal: false);
        return default;
    }

    private async Task ExecuteAsync(IscsiTask task)
    {
        try
        {
            await ScsiDispatcher.ExecuteAsync(task.Scsi, CancellationToken.None);
        }
        catch (Exception ex)
        {
            FailEngine(task, ex);
        }
        await RespondAsync(task, flush: true);
    }

    /// <summary>The engine reports errors as sense data; an exception from it is a bug. Answer it as a
    /// target failure rather than leaving the initiator waiting.</summary>
    private static void FailEngine(IscsiTask task, Exception ex)
    {
        Log.Error($"SCSI engine failed on opcode 0x{task.Scsi.Cdb[0]:x2}: {ex.GetType().Name}: {ex.Message}");
        task.Scsi.Fail(SenseReason.InternalTargetFailure);
    }

    /// <summary>Sends an executed task's response unless it was aborted (TASK ABORTED status when another
    /// nexus aborted it with TAS=1), and finishes it. Inline (on the receive loop) the response is left
    /// for the loop's flush.</summary>
    private async ValueTask RespondAsync(IscsiTask task, bool flush)
    {
        try
        {
            if (task.TryClaimResponse())
            {
                FreeSlot(task);
                await SendCompletionAsync(task, flush);
            }
            else if (task.ReportsTaskAborted)
            {
                await SendTaskAbortedAsync(task, flush);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The connection is going away; its close path cleans the session.
        }
        finally
        {
            Finish(task);
        }
    }

    /// <summary>tgt counts a command by its data direction and length when it is queued to the LU.</summary>
    private void CountSubmitted(IscsiTask task)
    {
        task.Statistics = _connection.Session!.Statistics.For(task.Lun);
        task.Statistics.Submitted(task.Scsi.ExpectedDirection, task.Scsi.ExpectedDataTransferLength);
    }

    /// <summary>Answers a task that ends without running (failed Prepare or a transport check).</summary>
    public async ValueTask CompleteNowAsync(IscsiTask task)
    {
        CountSubmitted(task);
        try
        {
            if (task.TryClaimResponse())
            {
                FreeSlot(task);
                await SendCompletionAsync(task);
            }
            else if (task.ReportsTaskAborted)
            {
                await SendTaskAbortedAsync(task, flush: true);
            }
        }
        finally
        {
            Finish(task);
        }
    }

    /// <summary>Finishes a task aborted while it waited for Data-Out, once that data arrives on its
    /// connection: with TASK ABORTED status when another nexus aborted it with TAS=1, else silently.</summary>
    public async ValueTask FinishAbortedAsync(IscsiTask task)
    {
        try
        {
            if (task.ReportsTaskAborted) await SendTaskAbortedAsync(task, flush: true);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The connection is going away; its close path cleans the session.
        }
        finally
        {
            Finish(task);
        }
    }

    /// <summary>
    /// TASK ABORTED status (SAM-5 5.6, RFC 7143 §11.4.2) for a task another I_T nexus aborted while the
    /// unit's TAS bit was one (CLEAR TASK SET, LOGICAL UNIT RESET, a target reset, PREEMPT AND ABORT).
    /// No data went to the initiator, and a write's data was not applied: the whole expected length is
    /// residual.
    /// </summary>
    private async ValueTask SendTaskAbortedAsync(IscsiTask task, bool flush)
    {
        FreeSlot(task);
        uint edtl = task.Scsi.ExpectedDataTransferLength;
        var h = ConnectionWriter.RentHeader();
        new ScsiResponsePdu
        {
            ResidualUnderflow = edtl != 0,
            Response = ScsiResponseCode.CommandCompletedAtTarget,
            Status = (byte)ScsiStatus.TaskAborted,
            InitiatorTaskTag = task.Itt,
            ResidualCount = edtl,
        }.Encode(h, 0);
        await _writer.SendAsync(h, ReadOnlyMemory<byte>.Empty, StatSnUse.Advance, flush);
    }

    /// <summary>
    /// Sends a finished task's data and status: Data-In PDUs with the status in the last one (phase
    /// collapse, §11.7.4) when the command succeeded with data, otherwise a SCSI Response (§11.4)
    /// carrying sense data. Residuals follow §11.4.5: what the command would move vs. the initiator's
    /// Expected Data Transfer Length.
    /// </summary>
    private async ValueTask SendCompletionAsync(IscsiTask task, bool flush = true)
    {
        var scsi = task.Scsi;
        uint edtl = scsi.ExpectedDataTransferLength;
        bool good = scsi.Status == ScsiStatus.Good || scsi.Status == ScsiStatus.ConditionMet;
        (task.Statistics ?? _connection.Session!.Statistics.For(task.Lun)).Completed(scsi.ExpectedDirection, edtl, good);
        bool dataIn = scsi.Direction == DataDirection.Read && good && scsi.SenseLength == 0;
        long commandLength = dataIn ? scsi.DataLength : scsi.TransferLength;
        bool overflow = false, underflow = false;
        uint residual = 0;
        if (commandLength > edtl)
        {
            overflow = true;
            residual = (uint)Math.Min(commandLength - edtl, uint.MaxValue);
        }
        else if (commandLength < edtl)
        {
            underflow = true;
            residual = (uint)(edtl - commandLength);
        }

        int toSend = dataIn ? (int)Math.Min((uint)scsi.DataLength, edtl) : 0;
        if (toSend > 0)
        {
            await _writer.SendDataInAsync(task, toSend, overflow, underflow, residual, flush);
            return;
        }

        var h = ConnectionWriter.RentHeader();
        new ScsiResponsePdu
        {
            ResidualOverflow = overflow,
            ResidualUnderflow = underflow,
            Response = ScsiResponseCode.CommandCompletedAtTarget,
            Status = (byte)scsi.Status,
            InitiatorTaskTag = task.Itt,
            ResidualCount = residual,
        }.Encode(h, scsi.SenseLength == 0 ? 0 : 2 + scsi.SenseLength);
        if (scsi.SenseLength == 0)
        {
            await _writer.SendAsync(h, ReadOnlyMemory<byte>.Empty, StatSnUse.Advance, flush);
            return;
        }
        // §11.4.7: the data segment is SenseLength (2 bytes) followed by the sense data.
        var sense = ArrayPool<byte>.Shared.Rent(2 + scsi.SenseLength);
        try
        {
            BinaryPrimitives.WriteUInt16BigEndian(sense, (ushort)scsi.SenseLength);
            scsi.Sense.CopyTo(sense.AsSpan(2));
            await _writer.SendAsync(h, sense.AsMemory(0, 2 + scsi.SenseLength), StatSnUse.Advance, flush);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(sense);
        }
    }

    /// <summary>Removes the task from the session, frees its window slot and buffer, wakes a task
    /// management function waiting for it, and returns it to the pool.</summary>
    public void Finish(IscsiTask task)
    {
        var session = _connection.Session!;
        session.RemoveTask(task);
        FreeSlot(task);
        TaskCompletionSource? waiter;
        lock (task)
        {
            waiter = task.Completion;
            task.Completion = null;
            task.Generation++;
        }
        waiter?.TrySetResult();
        Return(task);
    }

    /// <summary>
    /// Gives the task's CmdSN window slot back, once (§4.2.2.1). Done before its response is stamped,
    /// so that response's MaxCmdSN, and every PDU after it, already counts the slot as free: an
    /// initiator that saw all its responses sees the whole window open again.
    /// </summary>
    private void FreeSlot(IscsiTask task)
    {
        if (task.SlotFreed) return;
        task.SlotFreed = true;
        _connection.Session!.CommandDone();
    }

    /// <summary>Returns a task that never entered the task table, or a finished one, to the pool.</summary>
    public void Return(IscsiTask task)
    {
        if (task.RentedBuffer is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
        int generation = task.Generation;
        task.Reset();
        task.Generation = generation;
        lock (_taskPool)
        {
            if (_taskPool.Count < 256) _taskPool.Push(task);
        }
    }

    /// <summary>
    /// Aborts a task unless its response is already on its way. A task still waiting for Data-Out ends
    /// at once when we are on its connection's read loop (<paramref name="ownerThread"/>), otherwise
    /// when its data completes on its own connection (or that connection closes). Any other task is
    /// awaited, so the TMF response never overtakes the task's own response, nor a command that
    /// slipped into the SCSI engine while it was being aborted. <paramref name="reportStatus"/>: the
    /// task ends with TASK ABORTED status (another nexus aborted it, TAS=1). Returns false when the
    /// task had already answered.
    /// </summary>
    public bool Abort(IscsiTask task, int generation, List<Task> waits, bool ownerThread, bool reportStatus = false)
    {
        bool finishNow = false;
        bool aborted;
        lock (task)
        {
            // A pooled task whose generation moved on has finished, and its response went out.
            if (task.Generation != generation) return false;
            aborted = task.TryAbort(reportStatus);
            if (aborted && !task.Executing && ownerThread && !task.ReportsTaskAborted)
            {
                finishNow = true;
            }
            else
            {
                task.Completion ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                waits.Add(task.Completion.Task);
            }
        }
        if (finishNow) Finish(task);
        return aborted;
    }

    /// <summary>Finishes the tasks a closed connection left waiting for Data-Out (aborted, they will
    /// never run), so task management functions waiting for them complete. Call once the read loop
    /// has ended: nothing can start them any more.</summary>
    public void FinishWaitingTasks(IscsiSession session)
    {
        foreach (var t in session.SnapshotTasks())
            if (!t.Executing) Finish(t);
    }

    /// <summary>Waits until the session's executing tasks have returned from the SCSI engine.</summary>
    public static async Task WaitForTasksAsync(IscsiSession session, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            var tasks = session.SnapshotTasks();
            bool busy = false;
            foreach (var t in tasks) busy |= t.Executing;
            if (!busy) return;
            await Task.Delay(10);
        }
    }
}
