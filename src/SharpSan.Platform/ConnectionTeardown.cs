using System.Net.Sockets;

namespace SharpSan.Platform;

/// <summary>
/// Stopping a TCP connection from any thread, the same way on both ends of iSCSI: cancel the
/// connection's token first (its loops see that before the I/O errors the shutdown causes, so they
/// end quietly), then shut the socket down both ways, which wakes a receive or send blocked in the
/// kernel. Either may already have happened; that is not an error.
/// </summary>
public static class ConnectionTeardown
{
    public static void Stop(CancellationTokenSource cancellation, Socket socket)
    {
        try
        {
            cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        catch (AggregateException)
        {
            // A registered callback threw; the token is cancelled all the same.
        }
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }
}
