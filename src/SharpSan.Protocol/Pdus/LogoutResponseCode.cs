namespace SharpSan.Protocol;

/// <summary>Logout Response codes (RFC 7143 §11.15.1).</summary>
public enum LogoutResponseCode : byte
{
    ClosedSuccessfully = 0x00,
    CidNotFound = 0x01,
    ConnectionRecoveryNotSupported = 0x02,
    CleanupFailed = 0x03,
}
