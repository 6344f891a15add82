using System.Net.Sockets;
using System.Text.Json;
using SharpSan.Iscsid.Protocol;

namespace SharpSan.Iscsid.Client;

/// <summary>
/// Sends one request to iscsid over its Unix socket and reads the answer line. Each call opens its own
/// connection, so a client holds nothing between calls.
/// </summary>
public sealed class IscsidClient
{
    public IscsidClient(string socketPath) => SocketPath = socketPath;

    public string SocketPath { get; }

    /// <summary>
    /// Throws <see cref="IscsidUnavailableException"/> when the socket does not answer,
    /// <see cref="TimeoutException"/> when no answer came within <paramref name="timeout"/>, and
    /// <see cref="IOException"/> when the daemon closed the connection or answered garbage.
    /// </summary>
    public async Task<IscsidResponse> SendAsync(IscsidRequest request, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), bound.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new IscsidUnavailableException(SocketPath, ex);
        }
        await using var connection = new LineConnection(socket);
        try
        {
            await connection.WriteLineAsync(IscsidProtocol.Serialize(request), bound.Token);
            var line = await connection.ReadLineAsync(bound.Token)
                ?? throw new IOException("iscsid closed the connection without an answer");
            return IscsidProtocol.ParseResponse(line);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"iscsid did not answer the {request.Op} request within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or SocketException)
        {
            throw new IOException($"iscsid answered the {request.Op} request unreadably: {ex.Message}", ex);
        }
    }

    /// <summary>True when something accepts connections on the socket.</summary>
    public async Task<bool> IsListeningAsync(CancellationToken cancellationToken = default)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), bound.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
