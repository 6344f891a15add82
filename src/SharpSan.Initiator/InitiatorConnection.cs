using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
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
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ArrayBufferWriter<byte> _out = new(64 * 1024);
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

    /// <summary>Writes one PDU. The header (48 bytes) and data are copied before the first await, so the
    /// caller may reuse a header buffer as soon as this returns a pending task.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> header, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct);
        try
        {
            if (IsAborted) throw new IOException("connection closed");
            _out.ResetWrittenCount();
            PduWriter.Write(_out, header.Span, data.Span, HeaderDigest, DataDigest);
            Interlocked.Exchange(ref _writeStarted, Stopwatch.GetTimestamp());
            using var linked = ct.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(ct, _closed.Token) : null;
            await _stream.WriteAsync(_out.WrittenMemory, linked?.Token ?? _closed.Token);
        }
        finally
        {
            Interlocked.Exchange(ref _writeStarted, 0);
            _writeLock.Release();
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
        try
        {
            _closed.Cancel();
        }
        catch (AggregateException)
        {
        }
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        Abort();
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
    }
}
