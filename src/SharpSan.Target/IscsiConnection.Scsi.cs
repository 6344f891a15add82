using System.Buffers;
using System.Buffers.Binary;
using SharpSan.Protocol;
using SharpSan.Scsi;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Target;

internal sealed partial class IscsiConnection
{
    private readonly Stack<IscsiTask> _taskPool = new();

    private IscsiTask RentTask()
    {
        lock (_taskPool)
        {
            if (_taskPool.TryPop(out var t)) return t;
        }
        return new IscsiTask();
    }

    /// <summary>
    /// SCSI Command (§11.3): CmdSN check, CDB preparation by the SCSI engine, then either immediate
    /// execution (no Data-Out, or all data already here) or R2Ts for the rest of the data.
    /// </summary>
    private async ValueTask HandleScsiCommandAsync(PduFrame frame)
    {
        var session = Session!;
        var bhs = new Bhs(_rxHeader);
        var cmd = ScsiCommandPdu.Decode(bhs);
        bool immediate = cmd.Immediate;
        bool final = cmd.Final, read = cmd.Read, write = cmd.Write;
        uint itt = cmd.InitiatorTaskTag;
        uint edtl = cmd.ExpectedDataTransferLength;
        uint cmdSN = cmd.CmdSN;

        if (!session.AcceptCmdSN(cmdSN, immediate, consumesSlot: true))
        {
            Log.Debug($"connection {Remote}: CmdSN {cmdSN} outside the window (ExpCmdSN {session.ExpCmdSN}); ignored");
            return;
        }
        if (itt == Bhs.ReservedTag)
        {
            session.CommandDone();
            await SendRejectAsync(RejectInvalidPduField);
            return;
        }

        var task = RentTask();
        task.Itt = itt;
        task.CmdSN = cmdSN;
        task.Immediate = immediate;
        bhs.LunBytes.CopyTo(task.LunBytes);
        task.Lun = SamLun.Decode(task.LunBytes);
        if (!session.TryAddTask(task))
        {
            // §11.17.1: an ITT still in use is "task in progress".
            ReturnTask(task);
            session.CommandDone();
            await SendRejectAsync(RejectTaskInProgress);
            return;
        }

        var scsi = task.Scsi;
        scsi.Nexus = session.Nexus;
        scsi.LunMap = session.LunMap;
        scsi.Lun = task.Lun;
        cmd.Cdb.CopyTo(scsi.CdbBuffer);
        scsi.CdbLength = CdbLength(scsi.CdbBuffer[0]);
        scsi.Attribute = (TaskAttribute)cmd.Attribute;
        scsi.ExpectedDataTransferLength = edtl;
        scsi.ExpectedDirection = write ? DataDirection.Write : read ? DataDirection.Read : DataDirection.None;

        if (bhs.TotalAhsLength > 0 || (read && write))
        {
            // Extended CDBs (AHS type 1) and bidirectional commands (AHS type 2) are not supported.
            scsi.SetCheckCondition(SenseKey.IllegalRequest, 0x24, 0x00);
            await CompleteNowAsync(task);
            return;
        }

        if (!ScsiDispatcher.Prepare(scsi))
        {
            await CompleteNowAsync(task);
            return;
        }
        if (scsi.TransferLength > Options.MaxTransferBytes)
        {
            // Larger than the maximum transfer length we report in the Block Limits VPD page.
            scsi.SetCheckCondition(SenseKey.IllegalRequest, 0x24, 0x00);
            await CompleteNowAsync(task);
            return;
        }

        if (scsi.Direction == DataDirection.Write)
        {
            int want = (int)Math.Min(edtl, (uint)scsi.TransferLength);
            task.Want = want;
            task.RentedBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(want, 512));
            scsi.Buffer = task.RentedBuffer;
            int immLength = (int)frame.Data.Length;
            int keep = Math.Min(immLength, want);
            if (keep > 0) frame.Data.Slice(0, keep).CopyTo(task.RentedBuffer);
            task.Received = keep;
            task.UnsolicitedReceived = immLength;
            var p = session.Parameters;
            // §11.3.x / §13.10-13.11: F=1 on the command means no unsolicited Data-Out follows;
            // otherwise the initiator sends up to FirstBurstLength (or EDTL) unsolicited.
            int unsolicitedEnd = final ? immLength : (int)Math.Min((uint)p.FirstBurstLength, edtl);
            task.UnsolicitedExpected = unsolicitedEnd;
            task.UnsolicitedDone = final;
            task.NextR2TOffset = Math.Min(unsolicitedEnd, want);
            if (task.DataComplete)
            {
                scsi.DataLength = want;
                await StartExecutionAsync(task);
            }
            else
            {
                await SendR2TsAsync(task);
            }
            return;
        }

        if (scsi.Direction == DataDirection.Read && scsi.TransferLength > 0)
        {
            task.RentedBuffer = ArrayPool<byte>.Shared.Rent(scsi.TransferLength);
            scsi.Buffer = task.RentedBuffer;
            // Large reads may leave their data in a memory-backed file for sendfile, when their
            // Data-In PDUs fit one gathered send; a data digest needs the bytes in user memory.
            int toSend = (int)Math.Min((uint)scsi.TransferLength, edtl);
            scsi.AcceptsDataFile = Writer.CanGather(toSend);
        }
        await StartExecutionAsync(task);
    }

    /// <summary>CDB length from the operation code's group (SPC-4 4.2.5.1).</summary>
    private static int CdbLength(byte opcode) => (opcode >> 5) switch
    {
        0 => 6,
        1 or 2 => 10,
        5 => 12,
        _ => 16,
    };

    /// <summary>Solicits the next bursts (§11.8): at most MaxOutstandingR2T in flight, each at most
    /// MaxBurstLength.</summary>
    private async ValueTask SendR2TsAsync(IscsiTask task)
    {
        var p = Session!.Parameters;
        while (task.OutstandingR2T < p.MaxOutstandingR2T && task.NextR2TOffset < task.Want)
        {
            int length = Math.Min(p.MaxBurstLength, task.Want - task.NextR2TOffset);
            int slot = FreeR2TSlot(task, p.MaxOutstandingR2T);
            ref var r = ref task.R2Ts[slot];
            r.Active = true;
            r.TargetTransferTag = NextTargetTransferTag();
            r.Offset = task.NextR2TOffset;
            r.Length = length;
            r.Received = 0;
            r.NextDataSN = 0;
            task.NextR2TOffset += length;
            task.OutstandingR2T++;
            uint r2tsn = task.NextR2TSN++;

            var h = ConnectionWriter.RentHeader();
            new R2tPdu
            {
                Lun = BinaryPrimitives.ReadUInt64BigEndian(task.LunBytes),
                InitiatorTaskTag = task.Itt,
                TargetTransferTag = r.TargetTransferTag,
                R2TSN = r2tsn,
                BufferOffset = (uint)r.Offset,
                DesiredDataTransferLength = (uint)length,
            }.Encode(h);
            await Writer.SendAsync(h, ReadOnlyMemory<byte>.Empty, StatSnUse.Peek);
        }
    }

    private static int FreeR2TSlot(IscsiTask task, int max)
    {
        for (int i = 0; i < task.R2Ts.Length; i++)
            if (!task.R2Ts[i].Active) return i;
        int old = task.R2Ts.Length;
        Array.Resize(ref task.R2Ts, Math.Max(old * 2, Math.Min(max, 64)));
        return old;
    }

    /// <summary>Data-Out (§11.7): unsolicited (TTT 0xffffffff) or answering one of our R2Ts. Returns
    /// false when the connection must close (a sequence error ERL 0 cannot recover from).</summary>
    private async ValueTask<bool> HandleDataOutAsync(PduFrame frame)
    {
        var dataOut = DataOutPdu.Decode(_rxHeader);
        uint dataSN = dataOut.DataSN;
        uint itt = dataOut.InitiatorTaskTag, ttt = dataOut.TargetTransferTag;
        bool final = dataOut.Final;
        long offset = dataOut.BufferOffset;
        int length = (int)frame.Data.Length;
        var session = Session!;
        if (!session.TryGetTask(itt, out var task) || task.Executing || task.RentedBuffer is null)
        {
            // Data for a command that already ended (e.g. answered with CHECK CONDITION before its
            // unsolicited data arrived): discard quietly.
            if (Log.IsEnabled(LogLevel.Debug))
                Log.Debug($"connection {Remote}: Data-Out for ITT 0x{itt:x8} with no task waiting for data; discarded");
            return true;
        }

        if (ttt == Bhs.ReservedTag)
        {
            if (task.UnsolicitedDone || offset + length > task.UnsolicitedExpected)
            {
                await SendRejectAsync(RejectProtocolError);
                return true;
            }
            if (dataSN != task.UnsolicitedNextDataSN++)
                return await DataSequenceErrorAsync(task, dataSN);
            task.UnsolicitedReceived += length;
            if (final) task.UnsolicitedDone = true;
        }
        else
        {
            int slot = -1;
            for (int i = 0; i < task.R2Ts.Length; i++)
            {
                if (task.R2Ts[i].Active && task.R2Ts[i].TargetTransferTag == ttt)
                {
                    slot = i;
                    break;
                }
            }
            if (slot < 0)
            {
                await SendRejectAsync(RejectInvalidPduField);
                return true;
            }
            ref var r = ref task.R2Ts[slot];
            if (offset < r.Offset || offset + length > r.Offset + r.Length)
            {
                await SendRejectAsync(RejectInvalidPduField);
                return true;
            }
            // §11.7.5: DataSN counts from 0 within each R2T's sequence.
            if (dataSN != r.NextDataSN++)
                return await DataSequenceErrorAsync(task, dataSN);
            r.Received += length;
            if (r.Received >= r.Length || final)
            {
                r.Active = false;
                task.OutstandingR2T--;
            }
        }

        // Keep only what lies inside [0, Want): an initiator may send more than the CDB needs.
        if (offset < task.Want)
        {
            int keep = (int)Math.Min(length, task.Want - offset);
            frame.Data.Slice(0, keep).CopyTo(task.RentedBuffer.AsSpan((int)offset, keep));
            task.Received += keep;
        }

        if (task.Aborted)
        {
            // Aborted from another connection's task management while its data was arriving.
            FinishTask(task);
        }
        else if (task.DataComplete)
        {
            task.Scsi.DataLength = task.Want;
            await StartExecutionAsync(task);
        }
        else if (task.OutstandingR2T < session.Parameters.MaxOutstandingR2T && task.NextR2TOffset < task.Want)
        {
            await SendR2TsAsync(task);
        }
        return true;
    }

    /// <summary>
    /// A Data-Out with the wrong DataSN: a lost, repeated or reordered PDU. Recovering in place needs
    /// ERL 1 (recovery R2T, §7.x); at ERL 0 the command cannot be completed correctly, so it ends now
    /// with CHECK CONDITION, ABORTED COMMAND / DATA PHASE ERROR (SAM-5, ASC 0x4B/0x00), nothing is
    /// written, and the rest of its Data-Out is discarded. The connection stays up.
    /// </summary>
    private async ValueTask<bool> DataSequenceErrorAsync(IscsiTask task, uint dataSN)
    {
        Log.Warning($"connection {Remote}: Data-Out DataSN {dataSN} out of sequence for ITT 0x{task.Itt:x8}; command failed");
        task.Scsi.SetCheckCondition(SenseKey.AbortedCommand, 0x4B, 0x00);
        await CompleteNowAsync(task);
        return true;
    }

    /// <summary>
    /// Runs a command whose data is all here. When the SCSI engine can do it without blocking (a READ
    /// or WRITE served from memory or the page cache) it runs right here on the receive loop and its
    /// response is written without a flush: the loop flushes once it has no complete PDU left, so a
    /// batch of commands costs one send and no thread hop. Anything that could block runs on the pool.
    /// </summary>
    private ValueTask StartExecutionAsync(IscsiTask task)
    {
        task.Executing = true;
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
        ThreadPool.UnsafeQueueUserWorkItem(static state => _ = state.Connection.ExecuteAsync(state.Task), (Connection: this, Task: task), preferLocal: false);
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
        task.Scsi.SetCheckCondition(SenseKey.HardwareError, 0x44, 0x00);
    }

    /// <summary>Sends an executed task's response unless it was aborted, and finishes it. Inline (on the
    /// receive loop) the response is left for the loop's flush.</summary>
    private async ValueTask RespondAsync(IscsiTask task, bool flush)
    {
        try
        {
            if (task.TryClaimResponse()) await SendCompletionAsync(task, flush);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            // The connection is going away; its close path cleans the session.
        }
        finally
        {
            FinishTask(task);
        }
    }

    /// <summary>Answers a task that ends without running (failed Prepare or a transport check).</summary>
    private async ValueTask CompleteNowAsync(IscsiTask task)
    {
        try
        {
            if (task.TryClaimResponse()) await SendCompletionAsync(task);
        }
        finally
        {
            FinishTask(task);
        }
    }

    /// <summary>Removes the task from the session, frees its window slot and buffer, wakes a task
    /// management function waiting for it, and returns it to the pool.</summary>
    private void FinishTask(IscsiTask task)
    {
        var session = Session!;
        session.RemoveTask(task);
        session.CommandDone();
        TaskCompletionSource? waiter;
        lock (task)
        {
            waiter = task.Completion;
            task.Completion = null;
            task.Generation++;
        }
        waiter?.TrySetResult();
        ReturnTask(task);
    }

    private void ReturnTask(IscsiTask task)
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
}
