using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace SharpSan.Target;

/// <summary>
/// One reusable <see cref="Socket.SendPacketsAsync"/> per connection, awaitable without allocating:
/// buffers and file ranges in one operation, file ranges sent by the kernel (sendfile) without passing
/// through user memory. Used under the connection's write lock, so one operation at a time.
/// </summary>
internal sealed class SendPacketsOperation : SocketAsyncEventArgs, IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core;
    private readonly SendPacketsElement?[] _elements;
    private int _count;

    public SendPacketsOperation(int capacity)
    {
        _elements = new SendPacketsElement?[capacity];
        SendPacketsElements = _elements!;
        _core.RunContinuationsAsynchronously = false;
    }

    public int Capacity => _elements.Length;

    public void Add(SendPacketsElement element) => _elements[_count++] = element;

    /// <summary>Sends the elements added since the last send, in order; throws <see cref="SocketException"/> on failure.</summary>
    public ValueTask SendAsync(Socket socket)
    {
        // Unused slots stay null: SendPacketsAsync skips null elements.
        Array.Clear(_elements, _count, _elements.Length - _count);
        _count = 0;
        SendPacketsElements = _elements!;
        _core.Reset();
        if (!socket.SendPacketsAsync(this))
        {
            Complete();
        }

        return new ValueTask(this, _core.Version);
    }

    protected override void OnCompleted(SocketAsyncEventArgs e) => Complete();

    private void Complete()
    {
        Array.Clear(_elements);
        if (SocketError == SocketError.Success)
        {
            _core.SetResult(true);
        }
        else
        {
            _core.SetException(new SocketException((int)SocketError));
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);
    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);
    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
