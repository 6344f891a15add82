using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Net;
using SharpSan.Platform;
using SharpSan.Protocol;

namespace SharpSan.Initiator;

/// <summary>
/// One TCP connection to a target portal: framed PDU reads through a <see cref="PipeReader"/> and a
/// serialised writer (RFC 7143 §11.2 framing, §13.1 digests). Owns its socket; <see cref="Abort"/>
/// makes every pending read and write fail at once.
/// </summary>
internal sealed class InitiatorConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;
    private readonly object _batchGate = new();
    private ArrayBufferWriter<byte> _pending = new(64 * 1024);
    private ArrayBufferWriter<byte> _writing = new(64 * 1024);
    private TaskCompletionSource? _pendingBatch;
    private bool _flushing;
    /// <summary>True while the read loop handles the PDUs of one read: commands issued from completions
    /// then wait in the batch and go out in one write when the read's PDUs are all handled.</summary>
    private bool _corked;
    private readonly CancellationTokenSource _closed = new();
    private long _writeStarted;
    private int _aborted;

    private InitiatorConnection(Socket socket, IPEndPoint remote)
    {
        _socket = socket;
        Remote = remote;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 256 * 1024, minimumReadSize: 64 * 1024));
        LastReceive = Stopwatch.GetTimestamp();
    }

    public IPEndPoint Remote { get; }
    public IPEndPoint? Local => _socket.LocalEndPoint as IPEndPoint;
    public bool HeaderDigest { get; set; }
    public bool DataDigest { get; set; }
    /// <summary>What we accept from the target per PDU.</summary>
    public int MaxRecvDataSegmentLength { get; set; } = 8192;
    /// <summary>Cancelled when the connection is aborted.</summary>
    public CancellationToken Closed => _closed.Token;
    public bool IsAborted => Volatile.Read(ref _aborted) != 0;
    /// <summary>Stopwatch timestamp of the last PDU received.</summary>
    public long LastReceive { get; private set; }
    /// <summary>Stopwatch timestamp at which the write in progress started, 0 when idle.</summary>
    public long WriteStarted => Interlocked.Read(ref _writeStarted);

    public static async Task<InitiatorConnection> ConnectAsync(IPEndPoint portal, CancellationToken ct)
    {
        var socket = new Socket(portal.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(portal, ct);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new InitiatorConnection(socket, portal);
    }

    /// <summary>
    /// Writes one PDU. The header and data are serialised into the pending batch before this returns
    /// a pending task, so the caller may reuse its buffers at once. PDUs queued by other callers while a
    /// write is on the socket go out together in the next write: at queue depth N one send carries up to
    /// N commands, instead of one system call each. Completes when the batch holding this PDU is written.
    /// </summary>
    public ValueTask SendAsync(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        TaskCompletionSource batch;
        bool flusher;
        lock (_batchGate)
        {
            if (IsAborted) return ValueTask.FromException(new IOException("connection closed"));
            PduWriter.Write(_pending, header.Span, data.Span, HeaderDigest, DataDigest);
            _pendingBatch ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            batch = _pendingBatch;
            flusher = !_flushing && !_corked;
            if (flusher) _flushing = true;
        }
        if (flusher) _ = FlushLoopAsync();
        return ct.CanBeCanceled ? new ValueTask(batch.Task.WaitAsync(ct)) : new ValueTask(batch.Task);
    }

    private void Cork()
    {
        lock (_batchGate) _corked = true;
    }

    /// <summary>Ends a read's batch: what its completions queued is written now, in one send.</summary>
    private void Uncork()
    {
        bool flusher;
        lock (_batchGate)
        {
            _corked = false;
            flusher = !_flushing && _pendingBatch is not null;
            if (flusher) _flushing = true;
        }
        if (flusher) _ = FlushLoopAsync();
    }

    /// <summary>Writes pending batches until none is left; one runs at a time (<see cref="_flushing"/>).</summary>
    private async Task FlushLoopAsync()
    {
        while (true)
        {
            TaskCompletionSource? batch;
            lock (_batchGate)
            {
                batch = _pendingBatch;
                if (batch is null || _pending.WrittenCount == 0)
                {
                    _flushing = false;
                    return;
                }
                (_pending, _writing) = (_writing, _pending);
                _pending.ResetWrittenCount();
                _pendingBatch = null;
            }
            try
            {
                Interlocked.Exchange(ref _writeStarted, Stopwatch.GetTimestamp());
                await _stream.WriteAsync(_writing.WrittenMemory, _closed.Token);
                Interlocked.Exchange(ref _writeStarted, 0);
                batch.TrySetResult();
            }
            catch (Exception ex)
            {
                Interlocked.Exchange(ref _writeStarted, 0);
                batch.TrySetException(ex is OperationCanceledException ? new IOException("connection closed", ex) : ex);
                lock (_batchGate)
                {
                    _pendingBatch?.TrySetException(new IOException("connection closed", ex));
                    _pendingBatch = null;
                    _pending.ResetWrittenCount();
                    _flushing = false;
                }
                return;
            }
        }
    }

    /// <summary>Reads PDUs and hands each to <paramref name="handler"/>, synchronously, until the stream
    /// ends or fails. Frames are valid only during the call.</summary>
    public async Task ReadLoopAsync(FrameHandler handler, CancellationToken ct)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(ct);
            var buffer = result.Buffer;
            Cork();
            try
            {
                var limits = new PduLimits(MaxRecvDataSegmentLength, HeaderDigest, DataDigest);
                while (PduReader.TryRead(buffer, limits, out var frame, out bool digestOk))
                {
                    LastReceive = Stopwatch.GetTimestamp();
                    // §13.1: at ERL 0 a data digest error ends the connection (recovery re-issues the task).
                    if (!digestOk) throw new IOException("data digest error from the target");
                    handler(frame);
                    buffer = buffer.Slice(frame.End);
                    limits = new PduLimits(MaxRecvDataSegmentLength, HeaderDigest, DataDigest);
                }
            }
            finally
            {
                _reader.AdvanceTo(buffer.Start, buffer.End);
                Uncork();
            }
            if (result.IsCompleted || result.IsCanceled) throw new EndOfStreamException("the target closed the connection");
        }
    }

    public delegate void FrameHandler(in PduFrame frame);

    /// <summary>Reads one PDU, copied out (login and text phases).</summary>
    public async Task<ReceivedPdu> ReceiveAsync(CancellationToken ct)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(ct);
            var buffer = result.Buffer;
            var limits = new PduLimits(Math.Max(MaxRecvDataSegmentLength, 8192), HeaderDigest, DataDigest);
            if (PduReader.TryRead(buffer, limits, out var frame, out bool digestOk))
            {
                var pdu = new ReceivedPdu(frame.Header.ToArray(), frame.Data.ToArray());
                _reader.AdvanceTo(frame.End);
                LastReceive = Stopwatch.GetTimestamp();
                if (!digestOk) throw new IOException("data digest error from the target");
                return pdu;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) throw new EndOfStreamException("the target closed the connection");
        }
    }

    /// <summary>Closes the socket; pending reads and writes fail.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0) return;
        ConnectionTeardown.Stop(_closed, _socket);
        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
    }
}
