using System.Buffers;
using System.Buffers.Binary;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Target;

/// <summary>
/// The SCSI Command and Data-Out PDUs of a connection (RFC 7143 §11.3, §11.7, §11.8): builds the
/// <see cref="ScsiTask"/> from the command, lets the SCSI engine prepare it, collects a write's data
/// (immediate, unsolicited, and solicited with R2Ts through the task's <see cref="DataOutTracker"/>),
/// and hands the task to <see cref="ScsiTaskRunner"/> once its data is all here.
/// </summary>
internal sealed class ScsiCommandHandler
{
    private readonly IscsiConnection _connection;
    private readonly ConnectionWriter _writer;
    private readonly ScsiTaskRunner _runner;
    private readonly byte[] _rxHeader;

    // The AHS of the command being handled, copied out of the receive buffer (which may split it), and
    // then its extended CDB bytes: allocated once per connection, so a long CDB allocates nothing.
    private readonly byte[] _ahs = new byte[ScsiCommandAhs.MaxTotalLength];

    public ScsiCommandHandler(IscsiConnection connection, ConnectionWriter writer, ScsiTaskRunner runner)
    {
        _connection = connection;
        _writer = writer;
        _runner = runner;
        _rxHeader = connection.ReceivedHeader;
    }

    /// <summary>
    /// SCSI Command (§11.3): CmdSN check, CDB preparation by the SCSI engine, then either immediate
    /// execution (no Data-Out, or all data already here) or R2Ts for the rest of the data.
    /// </summary>
    public async ValueTask HandleCommandAsync(PduFrame frame)
    {
        var session = _connection.Session!;
        var limits = _connection.Limits!;
        var bhs = new Bhs(_rxHeader);
        var cmd = ScsiCommandPdu.Decode(bhs);
        bool immediate = cmd.Immediate;
        bool final = cmd.Final, read = cmd.Read, write = cmd.Write;
        uint itt = cmd.InitiatorTaskTag;
        uint edtl = cmd.ExpectedDataTransferLength;
        uint cmdSN = cmd.Sequence.CmdSN;

        if (!session.AcceptCmdSN(cmdSN, immediate, consumesSlot: true))
        {
            Log.Debug($"connection {_connection.Remote}: CmdSN {cmdSN} outside the window (ExpCmdSN {session.ExpCmdSN}); ignored");
            return;
        }
        if (itt == Bhs.ReservedTag)
        {
            session.CommandDone();
            await _connection.SendRejectAsync(RejectReason.InvalidPduField);
            return;
        }

        int extendedCdbLength = 0;
        bool bidirectional = read && write;
        if (bhs.TotalAhsLength > 0)
        {
            if (!ReadAhs(frame, out extendedCdbLength, out bool bidirectionalAhs))
            {
                // §11.2.2 format error (an AHS that does not fit, of an unknown type, or an Extended CDB
                // AHS for a short CDB): the PDU cannot be understood, so it is rejected (§11.17.1,
                // Invalid PDU field) like any malformed command, before a task exists.
                session.CommandDone();
                await _connection.SendRejectAsync(RejectReason.InvalidPduField, frame.Ahs);
                return;
            }

            bidirectional |= bidirectionalAhs;
        }

        var task = _runner.Rent();
        task.Itt = itt;
        task.CmdSN = cmdSN;
        task.Immediate = immediate;
        bhs.LunBytes.CopyTo(task.LunBytes);
        task.Lun = SamLun.Decode(task.LunBytes);
        if (!session.TryAddTask(task))
        {
            // §11.17.1: an ITT still in use is "task in progress".
            _runner.Return(task);
            session.CommandDone();
            await _connection.SendRejectAsync(RejectReason.TaskInProgress);
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

        if (bidirectional)
        {
            // Bidirectional commands (R and W, §11.3.1; their read length in AHS type 2) need a command set
            // with bidirectional commands (XDWRITEREAD needs protection information): none is served.
            scsi.Fail(SenseReason.InvalidFieldInCdb);
            await _runner.CompleteNowAsync(task);
            return;
        }

        if (extendedCdbLength > 0)
        {
            // §11.2.2.3: the CDB continues in the Extended CDB AHS. No SCSI CDB is longer than 260 bytes
            // (SPC-4 4.2.3); the engine sees the whole CDB and checks it against the command's length.
            if (extendedCdbLength > ScsiTask.MaxCdbLength - 16)
            {
                scsi.Fail(SenseReason.InvalidFieldInCdb);
                await _runner.CompleteNowAsync(task);
                return;
            }

            _ahs.AsSpan(0, extendedCdbLength).CopyTo(scsi.CdbBuffer[16..]);
            scsi.CdbLength = 16 + extendedCdbLength;
        }

        if (session.Tpg is { Offline: true })
        {
            // tgt (usr/target.c target_cmd_queue): an offline target answers every command BUSY,
            // and the initiator retries until it is ready again (SAM-5 5.3.1).
            scsi.Status = ScsiStatus.Busy;
            await _runner.CompleteNowAsync(task);
            return;
        }

        if (!ScsiDispatcher.Prepare(scsi))
        {
            await _runner.CompleteNowAsync(task);
            return;
        }
        if (limits.ExceedsMaxTransfer(scsi.TransferLength))
        {
            // Larger than the maximum transfer length we report in the Block Limits VPD page.
            scsi.Fail(SenseReason.InvalidFieldInCdb);
            await _runner.CompleteNowAsync(task);
            return;
        }

        if (scsi.Direction == DataDirection.Write)
        {
            int want = (int)Math.Min(edtl, (uint)scsi.TransferLength);
            task.RentedBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(want, 512));
            scsi.Buffer = task.RentedBuffer;
            int keep = task.DataOut.Begin(want, (int)frame.Data.Length, final, edtl, limits);
            if (keep > 0) frame.Data.Slice(0, keep).CopyTo(task.RentedBuffer);
            if (task.DataOut.DataComplete)
            {
                scsi.DataLength = want;
                await _runner.StartExecutionAsync(task);
            }
            else
            {
                await SendR2TsAsync(task, limits);
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
            scsi.AcceptsDataFile = _writer.CanGather(toSend);
        }
        await _runner.StartExecutionAsync(task);
    }

    /// <summary>
    /// Copies the command's AHS out of the receive buffer and parses it (§11.2.2). False when it is
    /// malformed. Otherwise the extended CDB bytes (CDB bytes 16..) are left at the start of
    /// <see cref="_ahs"/>, <paramref name="extendedCdbLength"/> of them, and
    /// <paramref name="bidirectional"/> tells whether a bidirectional read length AHS came.
    /// </summary>
    private bool ReadAhs(PduFrame frame, out int extendedCdbLength, out bool bidirectional)
    {
        extendedCdbLength = 0;
        bidirectional = false;
        int length = (int)frame.Ahs.Length;
        frame.Ahs.CopyTo(_ahs);
        if (!ScsiCommandAhs.TryDecode(_ahs.AsSpan(0, length), out ScsiCommandAhs ahs, out string? problem))
        {
            Log.Warning($"connection {_connection.Remote}: SCSI Command ITT 0x{new Bhs(_rxHeader).InitiatorTaskTag:x8} rejected: {problem}");
            return false;
        }

        bidirectional = ahs.HasBidirectionalReadLength;
        extendedCdbLength = ahs.ExtendedCdb.Length;
        ahs.ExtendedCdb.CopyTo(_ahs); // overlapping move to the start (Span.CopyTo is memmove-safe)
        return true;
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
    private async ValueTask SendR2TsAsync(IscsiTask task, TransferLimits limits)
    {
        var dataOut = task.DataOut;
        while (dataOut.NeedsR2T(limits))
        {
            uint ttt = _connection.NextTargetTransferTag();
            dataOut.IssueR2T(ttt, limits, out uint r2tsn, out int offset, out int length);
            var h = ConnectionWriter.RentHeader();
            new R2tPdu
            {
                Lun = BinaryPrimitives.ReadUInt64BigEndian(task.LunBytes),
                InitiatorTaskTag = task.Itt,
                TargetTransferTag = ttt,
                R2TSN = r2tsn,
                BufferOffset = (uint)offset,
                DesiredDataTransferLength = (uint)length,
            }.Encode(h);
            await _writer.SendAsync(h, ReadOnlyMemory<byte>.Empty, StatSnUse.Peek);
        }
    }

    /// <summary>Data-Out (§11.7): unsolicited (TTT 0xffffffff) or answering one of our R2Ts. Returns
    /// false when the connection must close (a sequence error ERL 0 cannot recover from).</summary>
    public async ValueTask<bool> HandleDataOutAsync(PduFrame frame)
    {
        var dataOut = DataOutPdu.Decode(_rxHeader);
        uint dataSN = dataOut.DataSN;
        uint itt = dataOut.InitiatorTaskTag, ttt = dataOut.TargetTransferTag;
        bool final = dataOut.Final;
        long offset = dataOut.BufferOffset;
        int length = (int)frame.Data.Length;
        var session = _connection.Session!;
        if (!session.TryGetTask(itt, out var task) || task.Executing || task.RentedBuffer is null)
        {
            // Data for a command that already ended (e.g. answered with CHECK CONDITION before its
            // unsolicited data arrived): discard quietly.
            if (Log.IsEnabled(LogLevel.Debug))
                Log.Debug($"connection {_connection.Remote}: Data-Out for ITT 0x{itt:x8} with no task waiting for data; discarded");
            return true;
        }

        var tracker = task.DataOut;
        switch (tracker.Accept(ttt, dataSN, offset, length, final, out int keep))
        {
            case DataOutVerdict.ProtocolError:
                await _connection.SendRejectAsync(RejectReason.ProtocolError);
                return true;
            case DataOutVerdict.InvalidField:
                await _connection.SendRejectAsync(RejectReason.InvalidPduField);
                return true;
            case DataOutVerdict.SequenceError:
                return await DataSequenceErrorAsync(task, dataSN);
        }
        if (keep > 0) frame.Data.Slice(0, keep).CopyTo(task.RentedBuffer.AsSpan((int)offset, keep));

        var limits = _connection.Limits!;
        if (task.Aborted)
        {
            // Aborted from another connection's task management while its data was arriving.
            await _runner.FinishAbortedAsync(task);
        }
        else if (tracker.DataComplete)
        {
            task.Scsi.DataLength = tracker.Want;
            await _runner.StartExecutionAsync(task);
        }
        else if (tracker.NeedsR2T(limits))
        {
            await SendR2TsAsync(task, limits);
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
        Log.Warning($"connection {_connection.Remote}: Data-Out DataSN {dataSN} out of sequence for ITT 0x{task.Itt:x8}; command failed");
        task.Scsi.Fail(SenseReason.DataPhaseError);
        await _runner.CompleteNowAsync(task);
        return true;
    }
}
