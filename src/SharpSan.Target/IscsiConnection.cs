using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Net;
using SharpSan.Platform;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Target;

/// <summary>
/// One TCP connection to an initiator: owns the socket and the receive loop, and wires the parts that
/// handle what arrives. <see cref="TargetLogin"/> runs the login phase; in full feature phase each PDU
/// goes, in arrival order, to its handler (<see cref="ScsiCommandHandler"/>, <see cref="TaskManagementHandler"/>,
/// <see cref="TextHandler"/>, <see cref="NopKeepAlive"/>, <see cref="LogoutHandler"/>). Everything sent
/// goes through the one <see cref="ConnectionWriter"/>.
/// </summary>
internal sealed class IscsiConnection
{
    /// <summary>How long <see cref="SpinForData"/> waits for the initiator's next PDU.</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency * 50 / 1_000_000;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly CancellationTokenSource _cts;
    private readonly byte[] _rxHeader = new byte[Bhs.Length];
    private readonly TaskCompletionSource _closedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ScsiCommandHandler _scsi;
    private readonly TaskManagementHandler _taskManagement;
    private readonly TextHandler _text;
    private readonly NopKeepAlive _nop;
    private readonly LogoutHandler _logout;
    private PduLimits _rxLimits = PduLimits.Login;
    private long _lastReceiveTicks = Environment.TickCount64;
    private uint _nextTtt = 1;
    private int _closed;

    public IscsiConnection(IscsiTargetServer server, Socket socket, CancellationToken serverStopping)
    {
        Server = server;
        _socket = socket;
        _socket.NoDelay = true;
        Local = (IPEndPoint)socket.LocalEndPoint!;
        Remote = (IPEndPoint)socket.RemoteEndPoint!;
        _stream = new NetworkStream(socket, ownsSocket: true);
        // The reader's buffer grows to hold one whole PDU; MaxRecvDataSegmentLength bounds that.
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 65536, minimumReadSize: 16384, leaveOpen: true));
        var pipe = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 65536, leaveOpen: true));
        _cts = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
        Writer = new ConnectionWriter(socket, pipe, _cts, server.Options);
        Tasks = new ScsiTaskRunner(this, Writer);
        _scsi = new ScsiCommandHandler(this, Writer, Tasks);
        _taskManagement = new TaskManagementHandler(this, Writer, Tasks);
        _text = new TextHandler(this, Writer);
        _nop = new NopKeepAlive(this, Writer);
        _logout = new LogoutHandler(this, Writer);
    }

    public IscsiTargetServer Server { get; }
    public IPEndPoint Local { get; }
    public IPEndPoint Remote { get; }
    public IscsiSession? Session { get; private set; }
    public ushort Cid { get; private set; }
    /// <summary>The connection's single writer.</summary>
    public ConnectionWriter Writer { get; }
    /// <summary>Runs, answers, finishes and aborts this connection's SCSI tasks.</summary>
    public ScsiTaskRunner Tasks { get; }
    /// <summary>The transfer limits of full feature phase (null during login).</summary>
    public TransferLimits? Limits { get; private set; }
    /// <summary>The BHS of the PDU being handled (valid until the next read).</summary>
    public byte[] ReceivedHeader => _rxHeader;
    /// <summary>When the last PDU arrived (<see cref="Environment.TickCount64"/>).</summary>
    public long LastReceiveTicks => Interlocked.Read(ref _lastReceiveTicks);
    public CancellationToken Closing => _cts.Token;
    /// <summary>Completes when the connection has closed and its session's clean-up has run.</summary>
    public Task Closed => _closedSignal.Task;
    private TargetOptions Options => Server.Options;

    /// <summary>Runs the connection to its end: login, then full feature phase, then cleanup.</summary>
    public async Task RunAsync()
    {
        try
        {
            if (!await new TargetLogin(this, Writer).RunAsync()) return;
            await FullFeatureLoopAsync();
        }
        catch (OperationCanceledException)
        {
        }
        catch (PduFormatException ex)
        {
            Log.Warning($"connection {Remote}: {ex.Message}; closing");
        }
        catch (IOException ex)
        {
            Log.Debug($"connection {Remote}: {ex.Message}");
        }
        catch (SocketException ex)
        {
            Log.Debug($"connection {Remote}: {ex.Message}");
        }
        catch (Exception ex)
        {
            Log.Error($"connection {Remote}: unexpected {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            await CloseAsync();
        }
    }

    /// <summary>Stops the connection: the read loop ends, in-flight tasks are aborted, the socket closes.</summary>
    public void Abort()
    {
        ConnectionTeardown.Stop(_cts, _socket);
    }

    private async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0) return;
        Abort();
        var session = Session;
        if (session is not null)
        {
            // ERL 0 (§7.1.5): a connection failure ends the session; its tasks are aborted.
            foreach (var t in session.SnapshotTasks()) t.TryAbort();
            await ScsiTaskRunner.WaitForTasksAsync(session, Options.DrainTimeout);
            Tasks.FinishWaitingTasks(session);
            // Not a logout (that ended the session already): the I_T nexus is lost (SAM-5 6.3.4).
            Server.SessionEnded(session, this, nexusLoss: true);
        }
        await _reader.CompleteAsync();
        await Writer.CompleteAsync();
        await _stream.DisposeAsync();
        Writer.Dispose();
        _cts.Dispose();
        _closedSignal.TrySetResult();
    }

    /// <summary>Switches the connection to full feature phase: digests and our receive limit apply from
    /// the first PDU after the final login response (§13.1, §13.12).</summary>
    public void EnterFullFeature(IscsiSession session, LoginState state)
    {
        var p = session.Parameters;
        var limits = new TransferLimits(p, Options.MaxTransferBytes);
        _rxLimits = limits.Receive;
        Writer.EnterFullFeature(session, limits);
        Limits = limits;
        Cid = state.Cid;
        Session = session;
        Log.Info(session.IsDiscovery
            ? $"discovery session from {state.InitiatorName} at {Remote}"
            : $"login: {state.InitiatorName} (ISID 0x{state.Isid:x12}, TSIH {session.Tsih}) to {state.Target!.Name} tpg {state.Tpg!.Tag} from {Remote}"
              + $" [HeaderDigest={(p.HeaderDigest ? "CRC32C" : "None")}, DataDigest={(p.DataDigest ? "CRC32C" : "None")}, auth={state.AuthMethod ?? "None"}]");
    }

    /// <summary>Reads the next PDU; the returned frame is valid until <see cref="Consume"/>.
    /// Returns null at end of stream.</summary>
    public async ValueTask<(PduFrame Frame, bool DataDigestOk)?> ReadPduAsync(CancellationToken ct)
    {
        while (true)
        {
            // A PDU already buffered is handled before anything is flushed: the responses of one batch
            // of commands leave in one send. Only when the loop is about to wait for the socket do the
            // deferred responses go out.
            if (!_reader.TryRead(out var result))
            {
                await Writer.FlushDeferredAsync();
                SpinForData();
                result = await _reader.ReadAsync(ct);
            }
            var buffer = result.Buffer;
            if (PduReader.TryRead(buffer, _rxLimits, out var frame, out var ddOk))
            {
                frame.Header.CopyTo(_rxHeader);
                _lastReceiveTicks = Environment.TickCount64;
                return (frame, ddOk);
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                _reader.AdvanceTo(buffer.End);
                return null;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>
    /// Queue depth 1 latency: an initiator that waits for each answer sends its next command a few
    /// tens of microseconds after our send. Blocking in epoll lets the CPU go idle, and waking an idle
    /// (virtual) CPU costs more than the command itself, so with few connections the loop first polls
    /// the socket for up to 50 µs. With more connections than CPUs it never spins: the epoll thread
    /// serves other connections, and they always have work when this one has none.
    /// </summary>
    private void SpinForData()
    {
        if (Server.ConnectionCount > Environment.ProcessorCount) return;
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
        try
        {
            while (!_socket.Poll(0, SelectMode.SelectRead))
            {
                if (System.Diagnostics.Stopwatch.GetTimestamp() >= until) return;
                Thread.SpinWait(20);
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            // Closed: the read that follows reports it.
        }
    }

    public void Consume(in PduFrame frame) => _reader.AdvanceTo(frame.End);

    /// <summary>Full feature phase: one PDU at a time in arrival order; SCSI commands then run
    /// concurrently and answer through the writer.</summary>
    private async Task FullFeatureLoopAsync()
    {
        using var pingerStop = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
        var pinger = Session!.IsDiscovery ? Task.CompletedTask : _nop.PingLoopAsync(pingerStop.Token);
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
            await SendRejectAsync(RejectReason.DataDigestError);
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
            await SendRejectAsync(RejectReason.ProtocolError);
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
                await _nop.HandleNopOutAsync(frame);
                return true;
            case Opcode.TaskManagementRequest:
                await _taskManagement.HandleAsync();
                return true;
            case Opcode.TextRequest:
                await _text.HandleAsync(frame);
                return true;
            case Opcode.LogoutRequest:
                return await _logout.HandleAsync();
            case Opcode.Snack:
                // SNACK needs ErrorRecoveryLevel > 0; we negotiate 0 (§11.16).
                await SendRejectAsync(RejectReason.ProtocolError);
                return true;
            case Opcode.LoginRequest:
                await SendRejectAsync(RejectReason.ProtocolError);
                return true;
            default:
                await SendRejectAsync(RejectReason.CommandNotSupported);
                return true;
        }
    }

    /// <summary>Reject (§11.17): carries the offending header (the PDU being handled) as its data: its BHS
    /// and, when given, its AHS (a SCSI Command rejected for a malformed AHS).</summary>
    public async ValueTask SendRejectAsync(RejectReason reason, ReadOnlySequence<byte> ahs = default)
    {
        int length = Bhs.Length + (int)ahs.Length;
        var h = ConnectionWriter.RentHeader();
        new RejectPdu { Reason = reason }.Encode(h, length);
        var copy = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            _rxHeader.CopyTo(copy, 0);
            ahs.CopyTo(copy.AsSpan(Bhs.Length));
            await Writer.SendAsync(h, copy.AsMemory(0, length), StatSnUse.Advance);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    /// <summary>The next target transfer tag (R2T, NOP-In ping, text continuation); never 0xffffffff,
    /// which means "none" (§11.8, §11.19).</summary>
    public uint NextTargetTransferTag()
    {
        uint t = Interlocked.Increment(ref _nextTtt);
        if (t == Bhs.ReservedTag) t = Interlocked.Increment(ref _nextTtt);
        return t;
    }
}
