using System.Buffers;
using System.Buffers.Binary;
using SharpSan.Protocol;

namespace SharpSan.Initiator;

/// <summary>
/// Handles each PDU the target sends in full feature phase, synchronously on the connection's
/// receive loop: one method per PDU type. Commands complete here, inline, so a caller that issues
/// its next command from the completion has it corked into the connection's next send. Protocol
/// violations throw <see cref="IOException"/>, which ends the connection (ERL 0: recovery follows).
/// </summary>
internal sealed class ResponseDispatcher
{
    private readonly SessionState _state;
    private readonly CommandWindow _window;
    private readonly PendingCommands _pending;
    private readonly Keepalive _keepalive;

    public ResponseDispatcher(SessionState state, CommandWindow window, PendingCommands pending, Keepalive keepalive)
    {
        _state = state;
        _window = window;
        _pending = pending;
        _keepalive = keepalive;
    }

    public void Dispatch(in PduFrame frame, ActiveConnection link)
    {
        if (_state.Generation != link.Generation) return; // a late PDU of a replaced connection
        Span<byte> h = stackalloc byte[Bhs.Length];
        frame.Header.CopyTo(h);
        var bhs = new Bhs(h);
        var opcode = bhs.Opcode;
        // Every target PDU carries the window and StatSN in the same place (RFC 7143 §11).
        var sequence = TargetSequenceNumbers.Read(h);
        _window.Update(sequence.ExpCmdSN, sequence.MaxCmdSN);
        switch (opcode)
        {
            case Opcode.DataIn:
                OnDataIn(DataInPdu.Decode(bhs), frame.Data);
                break;
            case Opcode.ScsiResponse:
                _window.AdvanceStatSN(sequence.StatSN);
                OnScsiResponse(ScsiResponsePdu.Decode(bhs), frame.Data);
                break;
            case Opcode.ReadyToTransfer:
                OnR2T(R2tPdu.Decode(bhs), link);
                break;
            case Opcode.NopIn:
                OnNopIn(NopInPdu.Decode(bhs), link);
                break;
            case Opcode.TaskManagementResponse:
            case Opcode.LogoutResponse:
            case Opcode.TextResponse:
                _window.AdvanceStatSN(sequence.StatSN);
                _pending.CompleteImmediate(bhs.InitiatorTaskTag, frame);
                break;
            case Opcode.Reject:
                _window.AdvanceStatSN(sequence.StatSN);
                OnReject(RejectPdu.Decode(bhs), frame.Data);
                break;
            case Opcode.AsyncMessage:
                _window.AdvanceStatSN(sequence.StatSN);
                OnAsyncMessage(AsyncMessagePdu.Decode(bhs));
                break;
            default:
                throw new IOException($"unexpected {opcode} PDU from the target");
        }
    }

    /// <summary>SCSI Data-In (§11.7): placed by Buffer Offset; DataSN must run 0, 1, 2... (ERL 0 has no
    /// SNACK, so a gap is a connection failure); S=1 carries the status (phase collapse).</summary>
    private void OnDataIn(in DataInPdu pdu, in ReadOnlySequence<byte> data)
    {
        var pc = _pending.Find(pdu.InitiatorTaskTag);
        if (pc is null) return; // aborted or timed out: the data has nowhere to go
        if (pc.Command.Direction != ScsiDataDirection.Read)
            throw new IOException($"Data-In for task 0x{pc.Itt:x8}, which is not a read");
        if (pdu.DataSN != pc.NextDataSN)
            throw new IOException($"Data-In DataSN {pdu.DataSN} for task 0x{pc.Itt:x8}, expected {pc.NextDataSN}");
        pc.NextDataSN++;
        long offset = pdu.BufferOffset;
        if (offset + data.Length > pc.Command.ExpectedLength)
            throw new IOException($"Data-In beyond the expected length of task 0x{pc.Itt:x8}");
        data.CopyTo(pc.Command.Buffer.Span[(int)offset..]);
        pc.DataReceived += (int)data.Length;
        if (pdu.StatusPresent)
        {
            _window.AdvanceStatSN(pdu.Sequence.StatSN);
            _pending.Complete(pc, new ScsiResult(pdu.Status, Array.Empty<byte>(), pdu.ResidualOverflow, pdu.ResidualUnderflow, (int)pdu.ResidualCount, pc.DataReceived));
        }
    }

    /// <summary>SCSI Response (§11.4): status, residuals, and sense data behind a 2-byte SenseLength.</summary>
    private void OnScsiResponse(in ScsiResponsePdu pdu, in ReadOnlySequence<byte> data)
    {
        var pc = _pending.Find(pdu.InitiatorTaskTag);
        if (pc is null) return;
        if (pdu.Response != ScsiResponseCode.CommandCompletedAtTarget)
        {
            _pending.Fail(pc, new IscsiSessionException($"the target reported a target failure (response 0x{(byte)pdu.Response:x2}) for task 0x{pc.Itt:x8}"));
            return;
        }
        byte[] sense = Array.Empty<byte>();
        if (data.Length >= 2)
        {
            Span<byte> len = stackalloc byte[2];
            data.Slice(0, 2).CopyTo(len);
            int senseLength = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(len), (int)data.Length - 2);
            if (senseLength > 0) sense = data.Slice(2, senseLength).ToArray();
        }
        bool overflow = pdu.ResidualOverflow, underflow = pdu.ResidualUnderflow;
        int residual = (int)pdu.ResidualCount;
        int transferred = pc.Command.Direction switch
        {
            ScsiDataDirection.Read => pc.DataReceived,
            ScsiDataDirection.Write => pc.Command.ExpectedLength - (underflow ? residual : 0),
            _ => 0,
        };
        _pending.Complete(pc, new ScsiResult(pdu.Status, sense, overflow, underflow, residual, transferred));
    }

    /// <summary>R2T (§11.8): the sender loop answers with Data-Out for the requested range.</summary>
    private void OnR2T(in R2tPdu r2t, ActiveConnection link)
    {
        var pc = _pending.Find(r2t.InitiatorTaskTag);
        if (pc is null) return;
        long offset = r2t.BufferOffset, length = r2t.DesiredDataTransferLength;
        if (pc.Command.Direction != ScsiDataDirection.Write || length == 0 || offset + length > pc.Command.ExpectedLength)
            throw new IOException($"R2T for task 0x{pc.Itt:x8} asks for {length} bytes at {offset}, outside the command's data");
        int maxBurst = link.Parameters.MaxBurstLength;
        if (length > maxBurst)
            throw new IOException($"R2T asks for {length} bytes, more than MaxBurstLength {maxBurst}");
        link.Outbound.Writer.TryWrite(new OutboundWork(OutboundKind.R2TData, pc, r2t.TargetTransferTag, (int)offset, (int)length, link.Generation));
    }

    /// <summary>NOP-In (§11.19): the answer to our ping, or a target ping to answer when it carries a TTT.</summary>
    private void OnNopIn(in NopInPdu nop, ActiveConnection link)
    {
        if (nop.InitiatorTaskTag != Bhs.ReservedTag)
        {
            _window.AdvanceStatSN(nop.Sequence.StatSN);
            _keepalive.PingAnswered(nop.InitiatorTaskTag);
            return;
        }
        if (nop.TargetTransferTag != Bhs.ReservedTag)
            link.Outbound.Writer.TryWrite(new OutboundWork(OutboundKind.NopReply, null, nop.TargetTransferTag, 0, 0, link.Generation));
    }

    /// <summary>Reject (§11.17): the data segment holds the rejected PDU's header; the command it
    /// belonged to fails, the connection goes on.</summary>
    private void OnReject(in RejectPdu reject, in ReadOnlySequence<byte> data)
    {
        if (data.Length < Bhs.Length) return;
        Span<byte> rejected = stackalloc byte[Bhs.Length];
        data.Slice(0, Bhs.Length).CopyTo(rejected);
        uint itt = BinaryPrimitives.ReadUInt32BigEndian(rejected[16..]);
        var error = new IscsiSessionException($"the target rejected a {(Opcode)(rejected[0] & 0x3F)} PDU (reason 0x{(byte)reject.Reason:x2})");
        var pc = _pending.Find(itt);
        if (pc is not null)
        {
            _pending.Fail(pc, error);
            return;
        }
        _pending.FailImmediate(itt, error);
    }

    /// <summary>Asynchronous Message (§11.9): a request to log out or a dropped connection means the
    /// connection is going away; we reconnect (session reinstatement) rather than wait for it.</summary>
    private static void OnAsyncMessage(in AsyncMessagePdu message)
    {
        var asyncEvent = message.AsyncEvent;
        if (asyncEvent is AsyncEvent.LogoutRequest or AsyncEvent.ConnectionDrop or AsyncEvent.SessionDrop)
            throw new IOException($"the target announced the end of the connection (async event {(byte)asyncEvent})");
    }
}
