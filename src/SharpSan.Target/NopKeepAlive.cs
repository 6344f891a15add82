using System.Buffers;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Target;

/// <summary>
/// NOP-Out/NOP-In on a connection (RFC 7143 §11.18, §11.19): answers the initiator's pings, and pings
/// an idle initiator itself, dropping the connection when the answer does not come.
/// </summary>
internal sealed class NopKeepAlive
{
    private readonly IscsiConnection _connection;
    private readonly ConnectionWriter _writer;
    private readonly byte[] _rxHeader;
    private uint _pingTag;
    private long _pingSentTicks;

    public NopKeepAlive(IscsiConnection connection, ConnectionWriter writer)
    {
        _connection = connection;
        _writer = writer;
        _rxHeader = connection.ReceivedHeader;
    }

    /// <summary>NOP-Out (§11.18): the answer to our ping, or a ping to echo.</summary>
    public async ValueTask HandleNopOutAsync(PduFrame frame)
    {
        var nop = NopOutPdu.Decode(_rxHeader);
        uint itt = nop.InitiatorTaskTag, ttt = nop.TargetTransferTag;
        bool immediate = nop.Immediate;
        uint cmdSN = nop.Sequence.CmdSN;
        ulong lun = nop.Lun;
        if (ttt != Bhs.ReservedTag)
        {
            // The answer to our ping (§11.18): nothing more to send.
            if (ttt == _pingTag) Interlocked.Exchange(ref _pingSentTicks, 0);
            return;
        }
        var session = _connection.Session!;
        // A non-immediate NOP-Out takes a CmdSN (§11.18); one outside the window is ignored.
        if (!session.AcceptCmdSN(cmdSN, immediate, consumesSlot: false)) return;
        if (itt == Bhs.ReservedTag) return; // no answer wanted
        int length = _connection.Limits!.ClampToPeerSegment(frame.Data.Length);
        var ping = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        try
        {
            frame.Data.Slice(0, length).CopyTo(ping);
            var h = ConnectionWriter.RentHeader();
            new NopInPdu { Lun = lun, InitiatorTaskTag = itt, TargetTransferTag = Bhs.ReservedTag }.Encode(h, length);
            await _writer.SendAsync(h, ping.AsMemory(0, length), StatSnUse.Advance);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(ping);
        }
    }

    /// <summary>Target-initiated NOP-In (§11.19): pings an idle initiator and drops the connection when
    /// the answer does not come within <see cref="TargetOptions.NopInTimeout"/>.</summary>
    public async Task PingLoopAsync(CancellationToken ct)
    {
        var session = _connection.Session!;
        var interval = session.NopInInterval;
        var timeout = session.NopInTimeout;
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
                        Log.Warning($"connection {_connection.Remote}: no answer to NOP-In within {timeout.TotalSeconds:0} s; dropping");
                        _connection.Abort();
                        return;
                    }
                    continue;
                }
                if (now - _connection.LastReceiveTicks < interval.TotalMilliseconds) continue;
                _pingTag = _connection.NextTargetTransferTag();
                Interlocked.Exchange(ref _pingSentTicks, now);
                var h = ConnectionWriter.RentHeader();
                new NopInPdu { InitiatorTaskTag = Bhs.ReservedTag, TargetTransferTag = _pingTag }.Encode(h, 0);
                // §11.19: with ITT 0xffffffff the StatSN is not advanced.
                await _writer.SendAsync(h, ReadOnlyMemory<byte>.Empty, StatSnUse.Peek);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
        }
    }
}
