namespace SharpSan.Initiator;

/// <summary>The session cannot carry a command: it was logged out or closed, the connection failed
/// and could not be re-established within ReplacementTimeout, or the target broke the protocol.</summary>
public sealed class IscsiSessionException : Exception
{
    public IscsiSessionException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
