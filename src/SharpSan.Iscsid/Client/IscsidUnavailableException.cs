namespace SharpSan.Iscsid.Client;

/// <summary>Nothing answers on the iscsid socket (missing, refused, or permission denied).</summary>
public sealed class IscsidUnavailableException(string socketPath, Exception inner)
    : IOException($"could not connect to iscsid at {socketPath}: {inner.Message}", inner)
{
    public string SocketPath { get; } = socketPath;
}
