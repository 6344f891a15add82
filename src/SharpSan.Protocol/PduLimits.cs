namespace SharpSan.Protocol;

/// <summary>
/// What the receiving side of a connection accepts: our declared MaxRecvDataSegmentLength and the
/// negotiated digests (RFC 7143 §13.1, §13.12). During login, digests are off and the limit is 8192
/// unless declared otherwise.
/// </summary>
public readonly record struct PduLimits(int MaxRecvDataSegmentLength, bool HeaderDigest, bool DataDigest)
{
    /// <summary>Login phase: no digests; the RFC default MaxRecvDataSegmentLength applies
    /// to login PDUs (§13.12: 8192 bytes).</summary>
    public static PduLimits Login => new(8192, false, false);
}
