using SharpSan.IscsiAdm.Records;

namespace SharpSan.IscsiAdm.Backends;

/// <summary>
/// The backends in use until the integrator wires the SharpSAN initiator and iscsid: every call
/// fails with open-iscsi's "could not connect to iscsid" (20) and one line saying why.
/// </summary>
public sealed class UnavailableDiscoveryBackend : IDiscoveryBackend
{
    public const string Message = "discovery needs the SharpSAN initiator, which is not available yet";

    public Task<IReadOnlyList<DiscoveredTarget>> SendTargetsAsync(string host, int port, DiscoveryAuth? auth, CancellationToken cancellationToken) =>
        throw new IscsiAdmException(IscsiError.IscsidNotConnected, Message);
}

/// <inheritdoc cref="UnavailableDiscoveryBackend"/>
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
