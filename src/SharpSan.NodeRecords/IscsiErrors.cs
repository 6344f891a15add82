namespace SharpSan.NodeRecords;

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
