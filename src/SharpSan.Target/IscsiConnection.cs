using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using SharpSan.Protocol;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Target;

/// <summary>How a sent PDU uses StatSN (RFC 7143 §4.2.2.2, §11.8.1, §11.19).</summary>
internal enum StatSnUse
{
    /// <summary>Carries status: gets the next StatSN, which then advances.</summary>
    Advance,
    /// <summary>Carries the next StatSN without advancing it (R2T, unsolicited NOP-In).</summary>
    Peek,
    /// <summary>Field not meaningful (Data-In without status): zero.</summary>
    None,
}

/// <summary>
/// One TCP connection to an initiator: framing, the login phase, then full feature phase. Reads are
/// done by one loop (<see cref="RunAsync"/>); writes go through <see cref="SendAsync"/>, which serialises
/// PDUs, stamps StatSN/ExpCmdSN/MaxCmdSN and flushes with backpressure.
/// </summary>
internal sealed partial class IscsiConnection
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _cts;
    private readonly byte[] _rxHeader = new byte[Bhs.Length];
    private PduLimits _rxLimits = PduLimits.Login;
    private bool _txHeaderDigest;
    private bool _txDataDigest;
    private uint _statSN;
    /// <summary>Bytes written to the pipe but not yet flushed (guarded by the write lock).</summary>
    private int _unflushedBytes;
    /// <summary>Unflushed bytes beyond which a deferred send flushes anyway, bounding what waits in memory.</summary>
    private const int DeferredFlushLimit = 256 * 1024;
    private long _lastReceiveTicks = Environment.TickCount64;
    private int _closed;
    private readonly TaskCompletionSource _closedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

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
        _writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 65536, leaveOpen: true));
        _cts = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
    }

    public IscsiTargetServer Server { get; }
    public IPEndPoint Local { get; }
    public IPEndPoint Remote { get; }
    public IscsiSession? Session { get; private set; }
    public ushort Cid { get; private set; }
    public CancellationToken Closing => _cts.Token;
    /// <summary>Completes when the connection has closed and its session's clean-up has run.</summary>
    public Task Closed => _closedSignal.Task;
    private TargetOptions Options => Server.Options;

    /// <summary>Runs the connection to its end: login, then full feature phase, then cleanup.</summary>
    public async Task RunAsync()
    {
        try
        {
            if (!await LoginAsync()) return;
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
        try
        {
            _cts.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception)
        {
            // already closed
        }
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
            await WaitForTasksAsync(session, Options.DrainTimeout);
            Server.SessionEnded(session, this);
        }
        await _reader.CompleteAsync();
        try
        {
            await _writeLock.WaitAsync(TimeSpan.FromSeconds(5));
            await _writer.CompleteAsync();
        }
        catch (Exception)
        {
            // the socket is gone already
        }
        await _stream.DisposeAsync();
        _sendPackets?.Dispose();
        _cts.Dispose();
        _closedSignal.TrySetResult();
    }

    /// <summary>Waits until the session's executing tasks have returned from the SCSI engine.</summary>
    private static async Task WaitForTasksAsync(IscsiSession session, TimeSpan timeout)
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

    /// <summary>Reads the next PDU; the returned frame is valid until <see cref="Consume"/>.
    /// Returns null at end of stream.</summary>
    private async ValueTask<(PduFrame Frame, bool DataDigestOk)?> ReadPduAsync(CancellationToken ct)
    {
        while (true)
        {
            // A PDU already buffered is handled before anything is flushed: the responses of one batch
            // of commands leave in one send. Only when the loop is about to wait for the socket do the
            // deferred responses go out.
            if (!_reader.TryRead(out var result))
            {
                await FlushDeferredAsync();
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

    /// <summary>How long <see cref="SpinForData"/> waits for the initiator's next PDU.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency * 50 / 1_000_000;

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
        long until = Stopwatch.GetTimestamp() + SpinTicks;
        try
        {
            while (!_socket.Poll(0, SelectMode.SelectRead))
            {
                if (Stopwatch.GetTimestamp() >= until) return;
                Thread.SpinWait(20);
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            // Closed: the read that follows reports it.
        }
    }

    private void Consume(in PduFrame frame) => _reader.AdvanceTo(frame.End);

    /// <summary>
    /// Sends one PDU. <paramref name="header"/> is a complete BHS except the sequence fields, which are
    /// stamped here under the write lock so StatSN order equals wire order.
    /// </summary>
    /// With <paramref name="flush"/> false (only on the receive loop) the PDU is left in the pipe for the
    /// loop's next flush.
    public async ValueTask SendAsync(byte[] header, ReadOnlyMemory<byte> data, StatSnUse statSn, bool flush = true)
    {
        try
        {
            await _writeLock.WaitAsync(_cts.Token);
            try
            {
                Stamp(header, statSn);
                Bhs.WriteDataSegmentLength(header, data.Length);
                PduWriter.Write(_writer, header, data.Span, _txHeaderDigest, _txDataDigest);
                await FlushOrDeferAsync(Bhs.Length + data.Length, flush);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(header);
        }
    }

    /// <summary>Under the write lock: flushes everything written so far, or, when <paramref name="flush"/>
    /// is false and little is waiting, leaves it for <see cref="FlushDeferredAsync"/>.</summary>
    private async ValueTask FlushOrDeferAsync(int written, bool flush)
    {
        _unflushedBytes += written;
        if (_unflushedBytes == 0 || (!flush && _unflushedBytes < DeferredFlushLimit)) return;
        _unflushedBytes = 0;
        var result = await _writer.FlushAsync(_cts.Token);
        if (result.IsCompleted) throw new IOException("connection closed by peer");
    }

    /// <summary>Sends the responses the receive loop left unflushed (another sender may have done it already).</summary>
    private async ValueTask FlushDeferredAsync()
    {
        if (Volatile.Read(ref _unflushedBytes) == 0) return;
        await _writeLock.WaitAsync(_cts.Token);
        try
        {
            await FlushOrDeferAsync(0, flush: true);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>A pooled BHS buffer for a typed PDU's Encode; <see cref="SendAsync"/> returns it.</summary>
    public static byte[] RentHeader() => ArrayPool<byte>.Shared.Rent(Bhs.Length);

    /// <summary>Fills StatSN, ExpCmdSN and MaxCmdSN, which every target PDU carries at the same place.</summary>
    private void Stamp(byte[] header, StatSnUse statSn)
    {
        uint statSN = statSn switch
        {
            StatSnUse.Advance => _statSN++,
            StatSnUse.Peek => _statSN,
            _ => 0,
        };
        uint exp, max;
        if (Session is { } s)
        {
            s.GetWindow(out exp, out max);
        }
        else
        {
            exp = _loginExpCmdSN;
            max = _loginExpCmdSN + (uint)Options.CommandWindow - 1;
        }
        new TargetSequenceNumbers(statSN, exp, max).WriteTo(header);
    }

    /// <summary>The StatSN the initiator acknowledged; used only to log lagging initiators.</summary>
    private void NoteExpStatSN(uint expStatSN)
    {
        // ERL 0 keeps no status for retransmission, so nothing to free here (§4.2.2.2).
    }
}
