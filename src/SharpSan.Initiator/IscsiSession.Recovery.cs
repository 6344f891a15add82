using SharpSan.Scsi;
using System.Diagnostics;
using System.Threading.Channels;
using SharpSan.Protocol;

namespace SharpSan.Initiator;

public sealed partial class IscsiSession
{
    private uint _pingItt;
    private long _pingSent;
    private Task? _recovery;

    /// <summary>The connection's writer for work the reader hands over: Data-Out for R2Ts, NOP-Out
    /// replies and pings, aborts. Owned by the connection: ends when it closes.</summary>
    private async Task SenderLoopAsync(InitiatorConnection conn, Channel<OutboundWork> channel, int generation)
    {
        try
        {
            await foreach (var work in channel.Reader.ReadAllAsync(conn.Closed))
            {
                if (work.Generation != generation) continue;
                switch (work.Kind)
                {
                    case OutboundKind.R2TData:
                        if (!work.Command!.IsCompleted)
                            await SendDataOutAsync(conn, work.Command, work.Tag, work.Offset, work.Length, conn.Closed);
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
        catch (Exception ex)
        {
            ConnectionFailed(generation, ex is OperationCanceledException ? "connection closed" : ex.Message);
        }
    }

    /// <summary>NOP-Out (§11.18): immediate, CmdSN not advanced. A reply to a target ping has ITT
    /// 0xffffffff and echoes its TTT; our own ping has an ITT and TTT 0xffffffff.</summary>
    private async Task SendNopOutAsync(InitiatorConnection conn, uint itt, uint ttt)
    {
        var header = new byte[Bhs.Length];
        uint cmdSN, expStatSN;
        lock (_lock)
        {
            cmdSN = _cmdSN;
            expStatSN = _expStatSN;
        }
        new NopOutPdu { Immediate = true, InitiatorTaskTag = itt, TargetTransferTag = ttt, CmdSN = cmdSN, ExpStatSN = expStatSN }.Encode(header, 0);
        await conn.SendAsync(header, ReadOnlyMemory<byte>.Empty, conn.Closed);
    }

    private async Task SendAbortAsync(InitiatorConnection conn, PendingCommand pc)
    {
        var header = new byte[Bhs.Length];
        uint itt = NextItt(); // nobody waits for this response
        uint cmdSN, expStatSN;
        lock (_lock)
        {
            cmdSN = _cmdSN;
            expStatSN = _expStatSN;
        }
        new TaskManagementRequestPdu
        {
            Immediate = true,
            Function = TaskManagementFunction.AbortTask,
            Lun = SamLun.Encode(pc.Command.Lun),
            InitiatorTaskTag = itt,
            ReferencedTaskTag = pc.Itt,
            CmdSN = cmdSN,
            ExpStatSN = expStatSN,
            RefCmdSN = pc.CmdSN,
        }.Encode(header);
        await conn.SendAsync(header, ReadOnlyMemory<byte>.Empty, conn.Closed);
    }

    /// <summary>Per-connection timer: NOP-Out ping after NopOutInterval of silence, connection failure
    /// when a ping or a write is not done within NopOutTimeout, command timeouts.</summary>
    private async Task KeepaliveLoopAsync(InitiatorConnection conn, int generation)
    {
        var o = _options;
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(Math.Min(o.NopOutInterval.TotalMilliseconds, o.NopOutTimeout.TotalMilliseconds) / 2, 50, 1000));
        using var timer = new PeriodicTimer(tick);
        try
        {
            while (await timer.WaitForNextTickAsync(conn.Closed))
            {
                long now = Stopwatch.GetTimestamp();
                long writeStarted = conn.WriteStarted;
                if (writeStarted != 0 && Stopwatch.GetElapsedTime(writeStarted, now) > o.NopOutTimeout)
                {
                    ConnectionFailed(generation, $"a write to the target stalled for more than {o.NopOutTimeout.TotalSeconds:0.#} s");
                    return;
                }
                bool ping = false;
                uint pingItt = 0;
                lock (_lock)
                {
                    if (_pingItt != 0 && Stopwatch.GetElapsedTime(_pingSent, now) > o.NopOutTimeout)
                    {
                        _pingItt = 0;
                        ping = true; // reuse the flag to leave the lock before failing
                    }
                }
                if (ping)
                {
                    ConnectionFailed(generation, $"NOP-Out ping not answered within {o.NopOutTimeout.TotalSeconds:0.#} s");
                    return;
                }
                if (o.NopOutInterval > TimeSpan.Zero && Stopwatch.GetElapsedTime(conn.LastReceive, now) >= o.NopOutInterval)
                {
                    lock (_lock)
                    {
                        if (_pingItt == 0)
                        {
                            pingItt = _pingItt = NextIttLocked();
                            _pingSent = now;
                        }
                    }
                    if (pingItt != 0) _outbound.Writer.TryWrite(new OutboundWork(OutboundKind.Ping, null, pingItt, 0, 0, generation));
                }
                ExpireCommands(now);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Commands without status after CommandTimeout are aborted and fail.</summary>
    private void ExpireCommands(long now)
    {
        List<PendingCommand>? expired = null;
        lock (_lock)
        {
            foreach (var pc in _pending.Values)
            {
                if (Stopwatch.GetElapsedTime(pc.IssuedAt, now) > _options.CommandTimeout) (expired ??= new()).Add(pc);
            }
        }
        if (expired is null) return;
        foreach (var pc in expired)
            GiveUp(pc, new TimeoutException($"no status for task 0x{pc.Itt:x8} within {_options.CommandTimeout.TotalSeconds:0.#} s; it was aborted"));
    }

    /// <summary>A connection ended (error, closed socket, NOP timeout). Unless the session is closing,
    /// recovery starts: outstanding commands stay registered and wait for it.</summary>
    private void ConnectionFailed(int generation, string reason)
    {
        InitiatorConnection conn;
        lock (_lock)
        {
            if (generation != _generation || !_connected) return;
            _connected = false;
            _pingItt = 0;
            conn = _conn;
            if (!_closing) _recovery = RecoverAsync(reason);
        }
        conn.Abort();
        _outbound.Writer.TryComplete();
        _stateChanged.Set();
    }

    /// <summary>
    /// Re-establishes the session by reinstatement (RFC 7143 §6.3.5: same ISID, TSIH 0, so the target
    /// drops the old session), then re-issues every command without status in its original order,
    /// with new CmdSNs. Gives up after ReplacementTimeout: the commands fail.
    /// </summary>
    private async Task RecoverAsync(string reason)
    {
        await Task.Yield();
        var deadline = Stopwatch.GetTimestamp() + (long)(_options.ReplacementTimeout.TotalSeconds * Stopwatch.Frequency);
        Exception? last = null;
        var delay = TimeSpan.FromSeconds(Math.Clamp(Parameters.DefaultTime2Wait, 0, 2));
        try
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(delay, _lifetime.Token);
                delay = TimeSpan.FromSeconds(1);
                InitiatorConnection conn;
                LoginOutcome outcome;
                try
                {
                    (conn, outcome) = await LoginConnector.ConnectAsync(Portal, _options, TargetName, _lifetime.Token);
                }
                catch (Exception ex) when (!_lifetime.IsCancellationRequested)
                {
                    last = ex;
                    continue;
                }
                await _issueLock.WaitAsync(_lifetime.Token);
                try
                {
                    lock (_lock)
                    {
                        if (_closing)
                        {
                            conn.Abort();
                            return;
                        }
                    }
                    Install(conn, outcome);
                    RecoveryCount++;
                    await ReissueAsync(conn);
                }
                finally
                {
                    _issueLock.Release();
                }
                return;
            }
        }
        catch (OperationCanceledException)
        {
            return; // the session is closing
        }
        var error = new IscsiSessionException(
            $"the connection to {TargetName} at {Portal} was lost ({reason}) and not re-established within {_options.ReplacementTimeout.TotalSeconds:0.#} s" +
            (last is null ? "" : $": {last.Message}"), last);
        lock (_lock) _terminal ??= error;
        FailAll(error);
        _stateChanged.Set();
    }

    /// <summary>Sends the outstanding commands again, oldest first, within the new command window.</summary>
    private async Task ReissueAsync(InitiatorConnection conn)
    {
        List<PendingCommand> outstanding;
        int generation;
        lock (_lock)
        {
            outstanding = _pending.Values.OrderBy(p => p.Sequence).ToList();
            generation = _generation;
        }
        foreach (var pc in outstanding)
        {
            if (pc.IsCompleted) continue;
            try
            {
                if (!await WaitWindowAsync(generation, _lifetime.Token)) return;
                lock (_lock)
                {
                    pc.CmdSN = _cmdSN++;
                    pc.ResetForReissue(generation);
                }
                await SendCommandAsync(conn, pc, _lifetime.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or TimeoutException)
            {
                return; // this connection failed too; the next recovery round re-issues what is left
            }
        }
    }
}
