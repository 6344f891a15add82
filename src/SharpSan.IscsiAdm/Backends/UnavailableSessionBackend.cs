using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Backends;

/// <summary>
/// The session backend in use until the integrator wires the SharpSAN iscsid: every call fails with
/// open-iscsi's "could not connect to iscsid" (20) and one line saying why.
/// </summary>
public sealed class UnavailableSessionBackend : ISessionBackend
{
    public const string Message = "sessions need the SharpSAN iscsid, which is not available yet";

    public string? TransportClassVersion => null;

    public Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken) =>
        throw new IscsiAdmException(IscsiError.IscsidNotConnected, Message);

    public Task<IscsiError> LoginAsync(NodeRecord node, CancellationToken cancellationToken) =>
        throw new IscsiAdmException(IscsiError.IscsidNotConnected, Message);

    public Task<IscsiError> LogoutAsync(int sid, CancellationToken cancellationToken) =>
        throw new IscsiAdmException(IscsiError.IscsidNotConnected, Message);
}
