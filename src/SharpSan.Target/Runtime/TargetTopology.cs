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

    /// <summary>
    /// The sockets to listen on for every portal of every enabled TPG. A wildcard covers the specific
    /// addresses of its port: [::]:P is dual-stack (IPv4 arrives on it as ::ffff:a.b.c.d) and covers
    /// every portal at P, 0.0.0.0:P covers every IPv4 portal at P. Linux refuses to bind a specific
    /// address beside a listening wildcard, so a targetcli target on [::0]:3260 and a tgt target on
    /// 0.0.0.0:3260 share one socket; <see cref="TargetPortalGroup.ServesPortal"/> still decides which
    /// TPG a connection reaches by the address it arrived at.
    /// </summary>
    public IReadOnlyList<IPEndPoint> ListenEndpoints()
    {
        var set = new HashSet<IPEndPoint>();
        foreach (var t in _targets.Values)
            foreach (var tpg in t.Tpgs)
                if (tpg.Enabled)
                    foreach (var p in tpg.Portals) set.Add(p);
        var v6Any = set.Where(e => e.Address.Equals(IPAddress.IPv6Any)).Select(e => e.Port).ToHashSet();
        var v4Any = set.Where(e => e.Address.Equals(IPAddress.Any)).Select(e => e.Port).ToHashSet();
        return set.Where(e => !Covered(e)).ToList();

        bool Covered(IPEndPoint e)
        {
            if (e.Address.Equals(IPAddress.IPv6Any)) return false;
            if (v6Any.Contains(e.Port)) return true;
            return e.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !e.Address.Equals(IPAddress.Any) && v4Any.Contains(e.Port);
        }
    }
}
