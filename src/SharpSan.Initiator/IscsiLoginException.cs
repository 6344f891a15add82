using SharpSan.Protocol;

namespace SharpSan.Initiator;

/// <summary>A login the target refused (RFC 7143 §11.13.5), or one we refused (e.g. the target failed
/// mutual CHAP, which is reported as an authentication failure).</summary>
public sealed class IscsiLoginException : Exception
{
    public IscsiLoginException(LoginStatus status, string message, Exception? inner = null)
        : base($"{message} (login status 0x{(ushort)status:x4})", inner)
    {
        Status = status;
    }

    /// <summary>Status-Class and Status-Detail as 0xCCDD.</summary>
    public LoginStatus Status { get; }
    /// <summary>Status-Class: 1 redirect, 2 initiator error, 3 target error.</summary>
    public int StatusClass => (ushort)Status >> 8;
    public int StatusDetail => (ushort)Status & 0xFF;
}
