using SharpSan.Initiator;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Backends;

/// <summary>
/// The discovery backend in use until the integrator wires the SharpSAN initiator: every call
/// fails with open-iscsi's "could not connect to iscsid" (20) and one line saying why.
/// </summary>
public sealed class UnavailableDiscoveryBackend : IDiscoveryBackend
{
    public const string Message = "discovery needs the SharpSAN initiator, which is not available yet";

    public Task<IReadOnlyList<DiscoveredTarget>> SendTargetsAsync(string host, int port, DiscoveryAuth? auth, CancellationToken cancellationToken) =>
        throw new IscsiAdmException(IscsiError.IscsidNotConnected, Message);
}
