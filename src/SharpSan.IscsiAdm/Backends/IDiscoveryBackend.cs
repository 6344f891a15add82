using SharpSan.Initiator;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Backends;

/// <summary>
/// Runs a SendTargets discovery session (Login with SessionType=Discovery, Text SendTargets=All,
/// Logout). Implemented by the integrator over SharpSan.Initiator. Failures are thrown as
/// <see cref="IscsiAdmException"/> with open-iscsi's code: 4 connection failure, 8 timeout,
/// 24 authorization failure, 5 other login failure.
/// </summary>
public interface IDiscoveryBackend
{
    Task<IReadOnlyList<DiscoveredTarget>> SendTargetsAsync(string host, int port, DiscoveryAuth? auth, CancellationToken cancellationToken);
}
