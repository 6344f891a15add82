namespace SharpSan.Protocol;

/// <summary>Why a received PDU could not be framed.</summary>
public enum PduError
{
    /// <summary>DataSegmentLength larger than our MaxRecvDataSegmentLength (RFC 7143 §13.12):
    /// a protocol error, the connection cannot be resynchronised at ERL 0.</summary>
    DataSegmentTooLong,
    /// <summary>Header digest mismatch (§13.1): at ERL 0 the connection must be dropped since the
    /// header, and so the PDU length, cannot be trusted.</summary>
    HeaderDigest,
    /// <summary>Data digest mismatch (§7.8): the header is fine; the PDU may be rejected.</summary>
    DataDigest,
}

/// <summary>A framing error: the stream cannot be trusted past this PDU (tier 3 in ARCHITECTURE.md),
/// except <see cref="PduError.DataDigest"/>, where the header is intact.</summary>
public sealed class PduFormatException : Exception
{
    public PduFormatException(PduError error, string message, int headerOffset = 0) : base(message)
    {
        Error = error;
    }

    public PduError Error { get; }
}
