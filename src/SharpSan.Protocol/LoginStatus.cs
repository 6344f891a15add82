namespace SharpSan.Protocol;

/// <summary>Login response Status-Class and Status-Detail, as one 16-bit value 0xCCDD (RFC 7143 §11.13.5).</summary>
public enum LoginStatus : ushort
{
    Success = 0x0000,
    TargetMovedTemporarily = 0x0101,
    TargetMovedPermanently = 0x0102,
    /// <summary>Miscellaneous initiator error, e.g. a malformed request.</summary>
    InitiatorError = 0x0200,
    AuthenticationFailure = 0x0201,
    AuthorizationFailure = 0x0202,
    NotFound = 0x0203,
    TargetRemoved = 0x0204,
    UnsupportedVersion = 0x0205,
    TooManyConnections = 0x0206,
    MissingParameter = 0x0207,
    CantIncludeInSession = 0x0208,
    SessionTypeNotSupported = 0x0209,
    SessionDoesNotExist = 0x020A,
    InvalidDuringLogin = 0x020B,
    TargetError = 0x0300,
    ServiceUnavailable = 0x0301,
    OutOfResources = 0x0302,
}
