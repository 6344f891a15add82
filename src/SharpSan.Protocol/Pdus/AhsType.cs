namespace SharpSan.Protocol;

/// <summary>The AHS code of an Additional Header Segment (RFC 7143 §11.2.2.2, AHSType bits 5-0; bits 7-6
/// are reserved). Codes 3-59 are reserved and 60-63 are for non-iSCSI extensions.</summary>
public enum AhsType : byte
{
    Reserved = 0,
    /// <summary>The bytes of a CDB beyond its first 16 (§11.2.2.3).</summary>
    ExtendedCdb = 1,
    /// <summary>The Data-In length a bidirectional command expects (§11.2.2.4).</summary>
    BidirectionalReadExpectedDataTransferLength = 2,
}
