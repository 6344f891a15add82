namespace SharpSan.Initiator;

/// <summary>Which way a command's data flows (RFC 7143 §11.3.1 R and W bits).</summary>
public enum ScsiDataDirection
{
    None = 0,
    /// <summary>Data-In: target to initiator (R bit).</summary>
    Read = 1,
    /// <summary>Data-Out: initiator to target (W bit).</summary>
    Write = 2,
}
