using System.Net;

namespace SharpSan.Target.Runtime;

/// <summary>
/// What the target serves: its iSCSI target nodes (with their TPGs, portals, LUNs and ACLs) and the
/// discovery-session authentication. Built by whoever composes the daemon (from a configuration
/// file, a management tool...) over logical units it opened; immutable once handed to the server,
/// which swaps a whole new topology in for every change (<see cref="IscsiTargetServer.ApplyAsync"/>).
/// </summary>
public sealed class TargetTopology
{
    private readonly Dictionary<string, IscsiTargetNode> _targets = new(StringComparer.Ordinal);

    public TargetTopology(IEnumerable<IscsiTargetNode> targets, ChapCredentials? discoveryChap = null, bool discoveryAuthRequired = false)
    {
        foreach (var t in targets) _targets.Add(t.Name, t);
        DiscoveryChap = discoveryChap;
        DiscoveryAuthRequired = discoveryAuthRequired;
    }

    public IReadOnlyDictionary<string, IscsiTargetNode> Targets => _targets;
    /// <summary>Credentials of discovery sessions (LIO's discovery_auth).</summary>
    public ChapCredentials? DiscoveryChap { get; }
    /// <summary>Discovery sessions must authenticate with CHAP.</summary>
    public bool DiscoveryAuthRequired { get; }

    /// <summary>Every distinct portal of every enabled TPG: what the daemon listens on.</summary>
    public IReadOnlyList<IPEndPoint> ListenEndpoints()
    {
        var set = new HashSet<IPEndPoint>();
        foreach (var t in _targets.Values)
            foreach (var tpg in t.Tpgs)
                if (tpg.Enabled)
                    foreach (var p in tpg.Portals) set.Add(p);
        return set.ToList();
    }
}
