using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Backends;

/// <summary>
/// The session side of iscsid: login from a node record, logout by session id, and the list of
/// sessions. Implemented by the integrator over the SharpSAN iscsid (which runs SharpSan.Initiator
/// sessions and the FUSE block device). Login/logout outcomes are values (an
/// <see cref="IscsiError"/>, Success or e.g. 24 LoginAuthFailed); "iscsid unreachable" is thrown as
/// <see cref="IscsiAdmException"/> (20 IscsidNotConnected).
/// </summary>
public interface ISessionBackend
{
    /// <summary>"2.0-870" for the "iSCSI Transport Class version" line of -P 3; null leaves both version lines out.</summary>
    string? TransportClassVersion { get; }

    Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken);

    Task<IscsiError> LoginAsync(NodeRecord node, CancellationToken cancellationToken);

    Task<IscsiError> LogoutAsync(int sid, CancellationToken cancellationToken);
}
