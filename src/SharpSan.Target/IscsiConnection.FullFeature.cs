using System.Buffers;
using System.Globalization;
using SharpSan.Protocol;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Target;

internal sealed partial class IscsiConnection
{
    /// <summary>Reject reasons (RFC 7143 §11.17.1).</summary>
    private const RejectReason RejectDataDigest = RejectReason.DataDigestError;
    private const RejectReason RejectProtocolError = RejectReason.ProtocolError;
    private const RejectReason RejectCommandNotSupported = RejectReason.CommandNotSupported;
    private const RejectReason RejectTaskInProgress = RejectReason.TaskInProgress;
    private const RejectReason RejectInvalidPduField = RejectReason.InvalidPduField;

    private uint _pingTag;
    private long _pingSentTicks;
    private byte[]? _pendingText;
    private int _pendingTextOffset;
    private uint _pendingTextTag;
    private readonly MemoryStream _textRequest = new();

    /// <summary>Full feature phase: one PDU at a time in arrival order; SCSI commands then run
    /// concurrently and answer through <see cref="SendAsync"/>.</summary>
    private async Task FullFeatureLoopAsync()
    {
        using var pingerStop = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        var pinger = Session!.IsDiscovery ? Task.CompletedTask : NopPingLoopAsync(pingerStop.Token);
        try
        {
            while (true)
            {
                var read = await ReadPduAsync(_cts.Token);
                if (read is null) return;
                var (frame, digestOk) = read.Value;
                bool more;
                try
                {
                    more = await HandlePduAsync(frame, digestOk);
                }
                finally
                {
                    Consume(frame);
                }
                if (!more) return;
            }
        }
        finally
        {
            pingerStop.Cancel();
            await pinger.ContinueWith(_ => { });
        }
    }

    private async ValueTask<bool> HandlePduAsync(PduFrame frame, bool dataDigestOk)
    {
        var bhs = new Bhs(_rxHeader);
        var opcode = bhs.Opcode;
        if (!dataDigestOk)
        {
            // §7.8 at ERL 0: the payload cannot be trusted and there is no recovery below session
            // level. Reject it so the initiator knows why, then drop the connection: no corrupt byte
            // ever reaches a backstore.
            Log.Warning($"connection {Remote}: data digest error on {opcode}; closing (ERL 0)");
            await SendRejectAsync(RejectDataDigest);
            return false;
        }
        if (opcode is not (Opcode.ScsiCommand or Opcode.DataOut))
        {
            // Task management and logout may wait for commands: their initiator must have every
            // response already answered before that.
            await Writer.FlushDeferredAsync();
        }
        var session = Session!;
        if (session.IsDiscovery && opcode is not (Opcode.TextRequest or Opcode.LogoutRequest or Opcode.NopOut))
        {
            // §4.3 (discovery session): only Text, Logout and NOP are meaningful.
            await SendRejectAsync(RejectProtocolError);
            return true;
        }
        switch (opcode)
        {
            case Opcode.ScsiCommand:
                await _scsi.HandleCommandAsync(frame);
                return true;
            case Opcode.DataOut:
                return await _scsi.HandleDataOutAsync(frame);
            case Opcode.NopOut:
                await HandleNopOutAsync(frame);
                return true;
            case Opcode.TaskManagementRequest:
                await HandleTaskManagementAsync();
                return true;
            case Opcode.TextRequest:
                await HandleTextAsync(frame);
                return true;
            case Opcode.LogoutRequest:
                return await HandleLogoutAsync();
            case Opcode.Snack:
                // SNACK needs ErrorRecoveryLevel > 0; we negotiate 0 (§11.16).
                await SendRejectAsync(RejectProtocolError);
                return true;
            case Opcode.LoginRequest:
                await SendRejectAsync(RejectProtocolError);
                return true;
            default:
                await SendRejectAsync(RejectCommandNotSupported);
                return true;
        }
    }

    /// <summary>Reject (§11.17): carries the offending BHS as its data.</summary>
    public async ValueTask SendRejectAsync(RejectReason reason)
    {
        var h = ConnectionWriter.RentHeader();
        new RejectPdu { Reason = reason }.Encode(h, Bhs.Length);
        var copy = ArrayPool<byte>.Shared.Rent(Bhs.Length);
        try
        {
            _rxHeader.CopyTo(copy, 0);
            await Writer.SendAsync(h, copy.AsMemory(0, Bhs.Length), StatSnUse.Advance);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    private async ValueTask HandleNopOutAsync(PduFrame frame)
    {
        var nop = NopOutPdu.Decode(_rxHeader);
        uint itt = nop.InitiatorTaskTag, ttt = nop.TargetTransferTag;
        bool immediate = nop.Immediate;
        uint cmdSN = nop.CmdSN;
        ulong lun = nop.Lun;
        if (ttt != Bhs.ReservedTag)
        {
            // The answer to our ping (§11.18): nothing more to send.
            if (ttt == _pingTag) Interlocked.Exchange(ref _pingSentTicks, 0);
            return;
        }
        // A non-immediate NOP-Out takes a CmdSN (§11.18); one outside the window is ignored.
        if (!Session!.AcceptCmdSN(cmdSN, immediate, consumesSlot: false)) return;
        if (itt == Bhs.ReservedTag) return; // no answer wanted
        int length = (int)Math.Min(frame.Data.Length, Limits!.PeerMaxRecvDataSegmentLength);
        var ping = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        try
        {
            frame.Data.Slice(0, length).CopyTo(ping);
            var h = ConnectionWriter.RentHeader();
            new NopInPdu { Lun = lun, InitiatorTaskTag = itt, TargetTransferTag = Bhs.ReservedTag }.Encode(h, length);
            await Writer.SendAsync(h, ping.AsMemory(0, length), StatSnUse.Advance);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(ping);
        }
    }

    /// <summary>Target-initiated NOP-In (§11.19): pings an idle initiator and drops the connection when
    /// the answer does not come within <see cref="TargetOptions.NopInTimeout"/>.</summary>
    private async Task NopPingLoopAsync(CancellationToken ct)
    {
        var interval = Session!.NopInInterval;
        var timeout = Session.NopInTimeout;
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(interval.TotalMilliseconds / 4, 100, 1000));
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(tick, ct);
                long now = Environment.TickCount64;
                long sent = Interlocked.Read(ref _pingSentTicks);
                if (sent != 0)
                {
                    if (now - sent > timeout.TotalMilliseconds)
                    {
                        Log.Warning($"connection {Remote}: no answer to NOP-In within {timeout.TotalSeconds:0} s; dropping");
                        Abort();
                        return;
                    }
                    continue;
                }
                if (now - Interlocked.Read(ref _lastReceiveTicks) < interval.TotalMilliseconds) continue;
                _pingTag = NextTargetTransferTag();
                Interlocked.Exchange(ref _pingSentTicks, now);
                var h = ConnectionWriter.RentHeader();
                new NopInPdu { InitiatorTaskTag = Bhs.ReservedTag, TargetTransferTag = _pingTag }.Encode(h, 0);
                // §11.19: with ITT 0xffffffff the StatSN is not advanced.
                await Writer.SendAsync(h, ReadOnlyMemory<byte>.Empty, StatSnUse.Peek);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
        }
    }

    private uint _nextTtt = 1;

    public uint NextTargetTransferTag()
    {
        uint t = Interlocked.Increment(ref _nextTtt);
        if (t == Bhs.ReservedTag) t = Interlocked.Increment(ref _nextTtt);
        return t;
    }

    /// <summary>Logout (§11.14, §11.15): in-flight commands finish first, then the response, then close.</summary>
    private async ValueTask<bool> HandleLogoutAsync()
    {
        var logout = LogoutRequestPdu.Decode(_rxHeader);
        int reason = (int)logout.Reason;
        uint itt = logout.InitiatorTaskTag;
        ushort cid = logout.Cid;
        var session = Session!;
        session.AcceptCmdSN(logout.CmdSN, logout.Immediate, consumesSlot: false);
        byte response = reason switch
        {
            0 => 0, // close the session
            1 => cid == Cid ? (byte)0 : (byte)1, // close a connection: CID not found
            2 => 2, // remove the connection for recovery: not supported at ERL 0
            _ => 3,
        };
        if (response != 0)
        {
            await SendLogoutResponseAsync(itt, response);
            return true;
        }
        await ScsiTaskRunner.WaitForTasksAsync(session, Options.DrainTimeout);
        await SendLogoutResponseAsync(itt, 0);
        Log.Debug($"logout: {session.InitiatorName} TSIH {session.Tsih}");
        return false;
    }

    private async ValueTask SendLogoutResponseAsync(uint itt, byte response)
    {
        var h = ConnectionWriter.RentHeader();
        new LogoutResponsePdu { Response = (LogoutResponseCode)response, InitiatorTaskTag = itt }.Encode(h);
        await Writer.SendAsync(h, ReadOnlyMemory<byte>.Empty, StatSnUse.Advance);
    }
}
