using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm;

/// <summary>
/// A failure a backend reports with an open-iscsi error code, e.g. iscsid not reachable (20) or an
/// authentication failure during discovery (24). <see cref="Exception.Message"/> is printed as one
/// "iscsiadm: ..." line when it is not empty.
/// </summary>
public sealed class IscsiAdmException(IscsiError error, string message) : Exception(message)
{
    public IscsiError Error { get; } = error;
}
