using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using SharpSan.Protocol;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Target;

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
    private readonly CancellationTokenSource _cts;
    private readonly byte[] _rxHeader = new byte[Bhs.Length];
    private readonly ScsiCommandHandler _scsi;
    private PduLimits _rxLimits = PduLimits.Login;
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
        _cts = CancellationTokenSource.CreateLinkedTokenSource(serverStopping);
        var pipe = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 65536, leaveOpen: true));
        Writer = new ConnectionWriter(socket, pipe, _cts, server.Options);
        Tasks = new ScsiTaskRunner(this, Writer);
        _scsi = new ScsiCommandHandler(this, Writer, Tasks);
    }

    public IscsiTargetServer Server { get; }
    public IPEndPoint Local { get; }
    public IPEndPoint Remote { get; }
    public IscsiSession? Session { get; private set; }
    public ushort Cid { get; private set; }
    /// <summary>The connection's single writer.</summary>
    public ConnectionWriter Writer { get; }
    /// <summary>The transfer limits of full feature phase (null during login).</summary>
    public TransferLimits? Limits { get; private set; }
    /// <summary>Runs, answers, finishes and aborts this connection's SCSI tasks.</summary>
    public ScsiTaskRunner Tasks { get; }
    /// <summary>The BHS of the PDU being handled (valid until the next read).</summary>
    public byte[] ReceivedHeader => _rxHeader;
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
            await ScsiTaskRunner.WaitForTasksAsync(session, Options.DrainTimeout);
            Server.SessionEnded(session, this);
        }
        await _reader.CompleteAsync();
        await Writer.CompleteAsync();
        await _stream.DisposeAsync();
        Writer.Dispose();
        _cts.Dispose();
        _closedSignal.TrySetResult();
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
}
