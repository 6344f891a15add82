namespace SharpSan.IscsiAdm;

/// <summary>open-iscsi's error codes (include/iscsi_err.h); iscsiadm exits with these values.</summary>
public enum IscsiError
{
    Success = 0,
    Generic = 1,
    SessionNotFound = 2,
    NoMemory = 3,
    Transport = 4,
    Login = 5,
    Idbm = 6,
    InvalidArgument = 7,
    TransportTimeout = 8,
    Internal = 9,
    Logout = 10,
    PduTimeout = 11,
    TransportNotFound = 12,
    Access = 13,
    TransportCaps = 14,
    SessionExists = 15,
    InvalidMgmtRequest = 16,
    IsnsUnavailable = 17,
    IscsidCommError = 18,
    FatalLogin = 19,
    IscsidNotConnected = 20,
    NoObjectsFound = 21,
    SysfsLookup = 22,
    HostNotFound = 23,
    LoginAuthFailed = 24,
    IsnsQuery = 25,
    IsnsRegistrationFailed = 26,
    OperationNotSupported = 27,
    Busy = 28,
    Again = 29,
    UnknownDiscoveryType = 30,
    ChildTerminated = 31,
    SessionNotConnected = 32,
    RequestTimedOut = 33,
}

/// <summary>The texts of usr/iscsi_err.c, indexed by <see cref="IscsiError"/>.</summary>
public static class IscsiErrors
{
    private static readonly string[] Messages =
    [
        "",
        "unknown error",
        "session not found",
        "no available memory",
        "encountered connection failure",
        "encountered iSCSI login failure",
        "encountered iSCSI database failure",
        "invalid parameter",
        "connection timed out",
        "internal error",
        "encountered iSCSI logout failure",
        "iSCSI PDU timed out",
        "iSCSI driver not found. Please make sure it is loaded, and retry the operation",
        "daemon access denied",
        "iSCSI driver does not support requested capability.",
        "session exists",
        "Unknown request",
        "iSNS service not supported",
        "could not communicate to iscsid",
        "encountered non-retryable iSCSI login failure",
        "could not connect to iscsid",
        "no objects found",
        "sysfs lookup failure",
        "host not found",
        "iSCSI login failed due to authorization failure",
        "iSNS query failed",
        "iSNS registration failed",
        "operation not supported",
        "device or resource in use",
        "operation failed but retry may succeed",
        "unknown discovery type",
        "child process terminated",
        "target likely not connected",
        "iscsid request timed out",
    ];

    /// <summary>iscsi_err_to_str.</summary>
    public static string Message(IscsiError error)
    {
        var i = (int)error;
        return i >= 0 && i < Messages.Length ? Messages[i] : "";
    }
}

/// <summary>
/// A failure a backend reports with an open-iscsi error code, e.g. iscsid not reachable (20) or an
/// authentication failure during discovery (24). <see cref="Exception.Message"/> is printed as one
/// "iscsiadm: ..." line when it is not empty.
/// </summary>
public sealed class IscsiAdmException(IscsiError error, string message) : Exception(message)
{
    public IscsiError Error { get; } = error;
}
