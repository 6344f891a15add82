using System.Buffers;
using SharpSan.Protocol;
using SharpSan.Scsi;

namespace SharpSan.Initiator;

/// <summary>
/// Writes the full-feature-phase PDUs that need no response waiter: SCSI Command with immediate and
/// unsolicited data, Data-Out answering R2Ts, NOP-Out, and fire-and-forget ABORT TASK. Also runs a
/// connection's sender loop, which performs what the receive loop hands over so that the reader
/// never blocks on a socket write (a full send buffer on both sides would deadlock).
/// </summary>
internal sealed class CommandSender
{
    private readonly CommandWindow _window;
    private readonly PendingCommands _pending;

    public CommandSender(CommandWindow window, PendingCommands pending)
    {
        _window = window;
        _pending = pending;
    }

    /// <summary>SCSI Command PDU (§11.3) with immediate data, then unsolicited Data-Out up to
    /// FirstBurstLength when InitialR2T=No (§13.10, §13.11). The command PDU joins the connection's
    /// outgoing batch before this first yields, so CmdSN order is wire order.</summary>
    public async Task SendCommandAsync(InitiatorConnection conn, PendingCommand pc, NegotiatedParameters p, CancellationToken ct)
    {
        var cmd = pc.Command;
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
            new ScsiCommandPdu
            {
                Final = final,
                Read = cmd.Direction == ScsiDataDirection.Read,
                Write = write,
                Attribute = ScsiTaskAttribute.Simple,
                Lun = SamLun.Encode(cmd.Lun),
                InitiatorTaskTag = pc.Itt,
                ExpectedDataTransferLength = (uint)edtl,
                Sequence = new(pc.CmdSN, _window.ExpStatSN),
                Cdb = cmd.Cdb.Span,
            }.Encode(header, immediate);
            await conn.SendAsync(header.AsMemory(0, Bhs.Length), cmd.Buffer[..immediate], ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
        if (unsolicitedEnd > immediate)
            await SendDataOutAsync(conn, pc, p.MaxXmitDataSegmentLength, Bhs.ReservedTag, immediate, unsolicitedEnd - immediate, ct);
    }

    /// <summary>Data-Out PDUs (§11.7) for [offset, offset+length): each at most the target's
    /// MaxRecvDataSegmentLength (<paramref name="maxSegment"/>), DataSN from 0 per sequence, F on the last.</summary>
    public async Task SendDataOutAsync(InitiatorConnection conn, PendingCommand pc, int maxSegment, uint ttt, int offset, int length, CancellationToken ct)
    {
        var header = ArrayPool<byte>.Shared.Rent(Bhs.Length);
        try
        {
            uint dataSN = 0;
            int end = offset + length;
            while (offset < end)
            {
                int n = Math.Min(maxSegment, end - offset);
                bool last = offset + n == end;
                new DataOutPdu
                {
                    Final = last,
                    Lun = SamLun.Encode(pc.Command.Lun),
                    InitiatorTaskTag = pc.Itt,
                    TargetTransferTag = ttt,
                    ExpStatSN = _window.ExpStatSN,
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

    /// <summary>The connection's writer for work the reader hands over: Data-Out for R2Ts, NOP-Out
    /// replies and pings, aborts. Ends when the connection closes; throws when a write fails.</summary>
    public async Task RunOutboundAsync(ActiveConnection link)
    {
        var conn = link.Connection;
        await foreach (var work in link.Outbound.Reader.ReadAllAsync(conn.Closed))
        {
            if (work.Generation != link.Generation) continue;
            switch (work.Kind)
            {
                case OutboundKind.R2TData:
                    if (!work.Command!.IsCompleted)
                        await SendDataOutAsync(conn, work.Command, link.Parameters.MaxXmitDataSegmentLength, work.Tag, work.Offset, work.Length, conn.Closed);
                    break;
                case OutboundKind.NopReply:
                    await SendNopOutAsync(conn, Bhs.ReservedTag, work.Tag);
                    break;
                case OutboundKind.Ping:
                    await SendNopOutAsync(conn, work.Tag, Bhs.ReservedTag);
                    break;
                case OutboundKind.Abort:
                    await SendAbortAsync(conn, work.Command!);
                    break;
            }
        }
    }

    /// <summary>NOP-Out (§11.18): immediate, CmdSN not advanced. A reply to a target ping has ITT
    /// 0xffffffff and echoes its TTT; our own ping has an ITT and TTT 0xffffffff.</summary>
    private async Task SendNopOutAsync(InitiatorConnection conn, uint itt, uint ttt)
    {
        var header = new byte[Bhs.Length];
        var (cmdSN, expStatSN) = _window.ForImmediate();
        new NopOutPdu { Immediate = true, InitiatorTaskTag = itt, TargetTransferTag = ttt, Sequence = new(cmdSN, expStatSN) }.Encode(header, 0);
        await conn.SendAsync(header, ReadOnlyMemory<byte>.Empty, conn.Closed);
    }

    /// <summary>ABORT TASK (§11.5.1) for a command we gave up on; nobody waits for the response.</summary>
    private async Task SendAbortAsync(InitiatorConnection conn, PendingCommand pc)
    {
        var header = new byte[Bhs.Length];
        uint itt = _pending.NextItt();
        var (cmdSN, expStatSN) = _window.ForImmediate();
        new TaskManagementRequestPdu
        {
            Immediate = true,
            Function = TaskManagementFunction.AbortTask,
            Lun = SamLun.Encode(pc.Command.Lun),
            InitiatorTaskTag = itt,
            ReferencedTaskTag = pc.Itt,
            Sequence = new(cmdSN, expStatSN),
            RefCmdSN = pc.CmdSN,
        }.Encode(header);
        await conn.SendAsync(header, ReadOnlyMemory<byte>.Empty, conn.Closed);
    }
}
