using System.Runtime.CompilerServices;

namespace SharpSan.Scsi;

/// <summary>Entry points of the SCSI engine used by every fabric.</summary>
public static class ScsiDispatcher
{
    /// <summary>
    /// Parses the CDB, resolves the LUN and runs every check that precedes a command, in this order:
    /// command table lookup and LUN inventory (SPC-4 4.6.2), CONTROL byte (SAM-5 5.2), unit attention
    /// (SAM-5 5.14), RESERVE/RELEASE and persistent reservation conflicts (SPC-2 5.5.1, SPC-4 5.13.1), readiness (NOT READY), write protection (SBC-3 4.9), CDB fields
    /// and the LBA range. Sets <see cref="ScsiTask.Direction"/> and <see cref="ScsiTask.TransferLength"/>.
    /// Returns false when the task is already complete (CHECK CONDITION or RESERVATION CONFLICT set):
    /// the fabric must not transfer data and sends the status. Must be called in command order for a
    /// nexus (a unit attention is reported to, and consumed by, the first command that sees it).
    /// </summary>
    public static bool Prepare(ScsiTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        task.Status = ScsiStatus.Good;
        task.SenseLength = 0;
        task.Direction = DataDirection.None;
        task.TransferLength = 0;
        task.Entry = default;
        task.Command = null;
        task.Lba = 0;
        task.BlockCount = 0;
        task.Flags = 0;

        bool mapped = task.LunMap.TryGet(task.Lun, out LunEntry entry);
        if (mapped)
        {
            task.Entry = entry;
        }

        // Each device type has its own command set; an unmapped LUN is answered with the disk's, whose
        // INQUIRY, REPORT LUNS and REQUEST SENSE answer for "no logical unit" (SPC-4 4.6.2).
        CommandSet commands = mapped ? entry.Unit.Commands : CommandTable.Block;
        bool unsupportedServiceAction = false;
        CommandDescriptor? command = null;
        if (task.CdbLength == 0 || !commands.TryGet(task.Cdb, out command, out unsupportedServiceAction))
        {
            if (!mapped)
            {
                task.Fail(SenseReason.LogicalUnitNotSupported);
            }
            else if (unsupportedServiceAction)
            {
                // SPC-4 4.2.5.1: a known opcode with a service action the device server does not support
                // (the variable length CDB's READ/WRITE/VERIFY(32)... need protection information type 2).
                (int field, int bit) = CommandSet.ServiceActionField(task.CdbBuffer[0]);
                task.Fail(SenseReason.InvalidFieldInCdb, field, bit);
            }
            else
            {
                task.Fail(SenseReason.InvalidCommandOperationCode);
            }

            return false;
        }

        if (!mapped && (command.Flags & CommandFlags.AllowedOnUnmappedLun) == 0)
        {
            task.Fail(SenseReason.LogicalUnitNotSupported);
            return false;
        }

        if (command.IsVariableLength)
        {
            // SPC-4 4.2.3: ADDITIONAL CDB LENGTH gives the CDB's length, which the service action fixes
            // (18h for WRITE SAME(32)); a CDB that says otherwise, or that the transport delivered short
            // (a 32-byte CDB without its iSCSI Extended CDB AHS), is refused pointing at it.
            if (task.CdbBuffer[7] != command.CdbLength - 8 || task.CdbLength < command.CdbLength)
            {
                task.Fail(SenseReason.InvalidFieldInCdb, 7, -1);
                return false;
            }
        }
        else if (task.CdbLength < command.CdbLength)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 0, 7);
            return false;
        }

        // SAM-5 5.2 CONTROL byte: no ACA (NACA bit 2) and no linked commands (LINK bit 0).
        int controlByte = command.ControlByte;
        byte control = task.CdbBuffer[controlByte];
        if ((control & 0x04) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, controlByte, 2);
            return false;
        }

        if ((control & 0x01) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, controlByte, 0);
            return false;
        }

        task.Command = command;
        if (mapped)
        {
            LogicalUnit unit = entry.Unit;
            NexusState state = unit.Track(task.Nexus);

            // SAM-5 5.14: a pending unit attention terminates any command but INQUIRY, REPORT LUNS and
            // REQUEST SENSE, and is cleared by being reported.
            if ((command.Flags & CommandFlags.AllowedWithUnitAttention) == 0 &&
                state.HasUnitAttention && state.TryDequeue(out byte asc, out byte ascq))
            {
                task.Command = null;
                task.FailUnitAttention(asc, ascq);
                return false;
            }

            // SBC-3 4.11.2: while a sanitize operation runs (or after one failed) the unit answers only
            // INQUIRY, REPORT LUNS and REQUEST SENSE (the commands that pass unit attentions too) and,
            // after a failure, SANITIZE. One volatile read when no sanitize is active.
            if (unit.Sanitize.Active && (command.Flags & CommandFlags.AllowedWithUnitAttention) == 0 && unit.Sanitize.Refuse(task, command))
            {
                task.Command = null;
                return false;
            }

            // SPC-4 5.15.2.4: a target port in standby, unavailable, offline or transitioning state serves only
            // the commands its state lists (one volatile read while every group is active).
            if (unit.Alua.Restricted && AluaAccessCheck.Refusal(unit.Alua, task.Nexus, command.Flags) is var aluaRefusal and not SenseReason.None)
            {
                task.Command = null;
                task.Fail(aluaRefusal);
                return false;
            }

            if (unit.Alua.Delayed)
            {
                task.AccessDelayMs = unit.Alua.AccessDelayMs(task.Nexus);
            }

            // SPC-2 5.5.1 (RESERVE/RELEASE) and SPC-4 5.13.1 table 5.6 (persistent reservations): each
            // costs one volatile read while its kind of reservation is absent.
            if (((command.Flags & CommandFlags.AllowedWithReservation) == 0 && unit.Reservation.IsReservedByOther(task.Nexus)) ||
                unit.PersistentReservations.Conflicts(task.Nexus, command.Flags, task.Cdb))
            {
                task.Command = null;
                task.Status = ScsiStatus.ReservationConflict;
                return false;
            }

            // SBC-3 / MMC-6 (NOT READY conditions): a command that needs the medium gets NOT READY while the unit is
            // offline or has no medium.
            if ((command.Flags & CommandFlags.MediumAccess) != 0 && unit.NotReadyReason is var notReady and not SenseReason.None)
            {
                task.Command = null;
                task.Fail(notReady);
                return false;
            }

            if ((command.Flags & CommandFlags.MediumWrite) != 0 && (entry.WriteProtected || unit.WriteProtected))
            {
                task.Command = null;
                task.Fail(SenseReason.WriteProtected);
                return false;
            }
        }

        // A command only some units serve (UNMAP needs LBPU=1): after the unit attention, reservation,
        // readiness and write protection checks, so a write-protected or not-ready unit answers as for
        // any write (DATA PROTECT, NOT READY), then as an unsupported command.
        if (mapped && !command.IsAvailableOn(entry.Unit))
        {
            if (command.ServiceAction == CommandDescriptor.NoServiceAction)
            {
                task.Fail(SenseReason.InvalidCommandOperationCode);
            }
            else
            {
                (int field, int bit) = CommandSet.ServiceActionField((byte)command.Opcode);
                task.Fail(SenseReason.InvalidFieldInCdb, field, bit);
            }

            task.Command = null;
            return false;
        }

        if (!command.Parse(task))
        {
            task.Command = null;
            return false;
        }

        // SPC-4 4.4.1, 6.35.3: a bit outside the command's CDB USAGE DATA (a reserved field) is refused
        // after the parser's own checks, so a field the parser knows is reported by it.
        if (!Reporting.CdbUsageData.CheckReservedBits(task, command, mapped ? entry.Unit.DeviceType : PeripheralDeviceType.DirectAccessBlock))
        {
            task.Command = null;
            task.Direction = DataDirection.None;
            task.TransferLength = 0;
            return false;
        }

        if (task.Direction == DataDirection.Write)
        {
            // A block WRITE whose Expected Data Transfer Length differs from the CDB's goes ahead: the
            // fabric reports the residual (RFC 7143 §11.4.5) and only the whole blocks that arrived are
            // written — what libiscsi's residual tests and LIO expect.
            if ((command.Flags & CommandFlags.BlockDataOut) == 0 && (uint)task.TransferLength > task.ExpectedDataTransferLength)
            {
                // A control Data-Out (MODE SELECT) that announces more than the initiator will send.
                task.Command = null;
                task.Fail(SenseReason.InvalidFieldInCdb);
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Executes a task <see cref="Prepare"/> accepted; sets <see cref="ScsiTask.Status"/>, the sense and,
    /// for Data-In, the data at <see cref="ScsiTask.Buffer"/>[0..<see cref="ScsiTask.DataLength"/>).
    /// Backstore <see cref="IOException"/>s become MEDIUM ERROR here (the one boundary); cancellation
    /// propagates as <see cref="OperationCanceledException"/>.
    /// </summary>
    public static ValueTask ExecuteAsync(ScsiTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        CommandDescriptor command = task.Command
            ?? throw new InvalidOperationException("ExecuteAsync called for a task that Prepare did not accept.");
        if (task.AccessDelayMs > 0)
        {
            return DelayThenExecuteAsync(task, cancellationToken);
        }

        if ((command.Flags & WriterMask) == CommandFlags.MediumWrite)
        {
            return ExecuteWriter(task, command, cancellationToken);
        }

        ValueTask pending;
        try
        {
            pending = command.Execute(task, cancellationToken);
        }
        catch (IOException)
        {
            FailMedium(task);
            return default;
        }

        if (pending.IsCompletedSuccessfully)
        {
            // Consume the result so a pooled IValueTaskSource behind the ValueTask is returned.
            pending.GetAwaiter().GetResult();
            return default;
        }

        return AwaitExecution(pending, task);
    }

    /// <summary>The non-optimized port's delay (<see cref="ScsiTask.AccessDelayMs"/>), then the command. An
    /// abort ends the wait and the command never runs (the fabric answers the abort, not the command).</summary>
    private static async ValueTask DelayThenExecuteAsync(ScsiTask task, CancellationToken cancellationToken)
    {
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, task.AbortToken))
        {
            try
            {
                await Task.Delay(task.AccessDelayMs, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }

        task.AccessDelayMs = 0;
        await ExecuteAsync(task, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Largest transfer <see cref="TryExecuteInline"/> copies on the caller's thread: a copy of
    /// this size takes tens of microseconds, so a receive loop that serves several connections is
    /// never held up for long by one command. A read left in a file for zero-copy sending copies
    /// nothing and has no limit.</summary>
    public const int InlineTransferLimit = 256 * 1024;

    /// <summary>
    /// Executes a task <see cref="Prepare"/> accepted on the calling thread if that cannot block — a
    /// READ or WRITE whose backstore can serve it from memory or the page cache — and returns true with
    /// the task complete, as after <see cref="ExecuteAsync"/>. Returns false when it would block; the
    /// caller then runs <see cref="ExecuteAsync"/> where blocking is allowed. Durability is unchanged:
    /// a backstore only accepts a FUA or write-through write inline when it is durable on return.
    /// </summary>
    public static bool TryExecuteInline(ScsiTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        CommandDescriptor command = task.Command
            ?? throw new InvalidOperationException("TryExecuteInline called for a task that Prepare did not accept.");
        if (command.TryInline is null || task.AccessDelayMs > 0)
        {
            return false;
        }

        // A writer runs inline only while no atomic command holds the unit's write gate; otherwise the
        // fabric's asynchronous path waits for the gate to open (SBC-3 5.2).
        bool writer = (command.Flags & WriterMask) == CommandFlags.MediumWrite;
        AtomicWriteGate? gate = writer ? task.Entry.Unit.WriteGate : null;
        if (gate is not null && !gate.TryEnter())
        {
            return false;
        }

        try
        {
            return command.TryInline(task);
        }
        catch (IOException)
        {
            FailMedium(task);
            return true;
        }
        finally
        {
            gate?.Exit();
        }
    }

    /// <summary>Flags that tell an ordinary writer (MediumWrite alone) from an atomic command, which
    /// handles the write gate itself.</summary>
    private const CommandFlags WriterMask = CommandFlags.MediumWrite | CommandFlags.AtomicWrite;

    /// <summary>An ordinary writer: counted in the unit's <see cref="AtomicWriteGate"/> for the whole
    /// execution, so COMPARE AND WRITE and the other atomic commands never interleave with it.</summary>
    private static ValueTask ExecuteWriter(ScsiTask task, CommandDescriptor command, CancellationToken cancellationToken)
    {
        AtomicWriteGate gate = task.Entry.Unit.WriteGate;
        if (!gate.TryEnter())
        {
            return ExecuteWriterWhenOpen(task, command, gate, cancellationToken);
        }

        ValueTask pending;
        try
        {
            pending = command.Execute(task, cancellationToken);
        }
        catch (IOException)
        {
            gate.Exit();
            FailMedium(task);
            return default;
        }
        catch
        {
            gate.Exit();
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult();
            gate.Exit();
            return default;
        }

        return AwaitWriter(pending, task, gate);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask AwaitWriter(ValueTask pending, ScsiTask task, AtomicWriteGate gate)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (IOException)
        {
            FailMedium(task);
        }
        finally
        {
            gate.Exit();
        }
    }

    private static async ValueTask ExecuteWriterWhenOpen(ScsiTask task, CommandDescriptor command, AtomicWriteGate gate, CancellationToken cancellationToken)
    {
        await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await command.Execute(task, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            FailMedium(task);
        }
        finally
        {
            gate.Exit();
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask AwaitExecution(ValueTask pending, ScsiTask task)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        catch (IOException)
        {
            FailMedium(task);
        }
    }

    /// <summary>SBC-3 4.16: an unrecovered medium error while reading or writing.</summary>
    private static void FailMedium(ScsiTask task)
    {
        if (task.Direction == DataDirection.Read)
        {
            task.DataLength = 0;
        }

        task.Fail((task.Flags & BlockCommands.FlagWrite) != 0 ? SenseReason.WriteError : SenseReason.UnrecoveredReadError);
    }
}
