using System.Buffers;
using System.Net.Sockets;
using System.Text;

namespace SharpSan.Iscsid.Protocol;

/// <summary>
/// UTF-8 lines over a connected stream socket, at most <see cref="IscsidProtocol.MaxLineBytes"/> each.
/// One reader and one writer at a time.
/// </summary>
internal sealed class LineConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    public LineConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>The next line without its "\n"; null at end of stream. Throws <see cref="InvalidDataException"/> for an over-long line.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        var scanned = _start;
        while (true)
        {
            var nl = Array.IndexOf(_buffer, (byte)'\n', scanned, _end - scanned);
            if (nl >= 0)
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, nl - _start).TrimEnd('\r');
                _start = nl + 1;
                return line;
            }
            scanned = _end;
            if (_end - _start > IscsidProtocol.MaxLineBytes)
                throw new InvalidDataException($"a line is longer than {IscsidProtocol.MaxLineBytes} bytes");
            if (_end == _buffer.Length)
            {
                var used = _end - _start;
                var target = used * 2 > _buffer.Length ? new byte[_buffer.Length * 2] : _buffer;
                Buffer.BlockCopy(_buffer, _start, target, 0, used);
                _buffer = target;
                scanned -= _start;
                _start = 0;
                _end = used;
            }
            var n = await _stream.ReadAsync(_buffer.AsMemory(_end), ct);
            if (n == 0)
                return null;
            _end += n;
        }
    }

    public async Task WriteLineAsync(string line, CancellationToken ct)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(line.Length) + 1);
        try
        {
            var n = Encoding.UTF8.GetBytes(line, bytes);
            bytes[n++] = (byte)'\n';
            await _stream.WriteAsync(bytes.AsMemory(0, n), ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    public void Shutdown()
    {
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
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
