namespace SharpSan.Protocol;

/// <summary>Logout Request reason codes (RFC 7143 §11.14.1).</summary>
public enum LogoutReason : byte
{
    CloseSession = 0x00,
    CloseConnection = 0x01,
    RemoveConnectionForRecovery = 0x02,
}
