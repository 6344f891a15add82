using System.Net;

namespace SharpSan.Target.Runtime;

/// <summary>
/// tgt's access rule for a target (tgt usr/iscsi/target.c ip_acl/iqn_acl, applied at login in
/// iscsid.c and to SendTargets in target_list_build): an initiator is let in when its address matches
/// an address entry (ALL, an address, a network) OR its name matches a name entry. Empty lists let
/// nobody in — a new tgt target is closed until `tgtadm --op bind`. IET targets may add deny rules
/// (initiators.deny): then an initiator not allowed is still let in unless a deny rule matches it.
/// </summary>
public sealed class InitiatorAccessList
{
    public InitiatorAccessList(bool all, IEnumerable<IPNetwork> networks, IEnumerable<string> names)
        : this(all, networks, names, null)
    {
    }

    public InitiatorAccessList(bool all, IEnumerable<IPNetwork> networks, IEnumerable<string> names, InitiatorAccessList? denied)
    {
        All = all;
        Networks = networks.ToArray();
        Names = new HashSet<string>(names, StringComparer.Ordinal);
        Denied = denied;
    }

    /// <summary>IET's deny rules, consulted for initiators the allow rules do not admit; null: none
    /// (tgt's rule, where not allowed means refused).</summary>
    public InitiatorAccessList? Denied { get; }

    /// <summary>An "ALL" address entry.</summary>
    public bool All { get; }
    public IReadOnlyList<IPNetwork> Networks { get; }
    public IReadOnlySet<string> Names { get; }

    public bool Allows(IPAddress peer, string initiatorName)
    {
        // IET (initiators.allow/deny): allowed, or not denied when deny rules exist.
        return Matches(peer, initiatorName) || (Denied is not null && !Denied.Matches(peer, initiatorName));
    }

    private bool Matches(IPAddress peer, string initiatorName)
    {
        if (All || Names.Contains(initiatorName)) return true;
        // An IPv4 initiator on a dual-stack socket arrives as ::ffff:a.b.c.d; tgt compares the IPv4 form.
        if (peer.IsIPv4MappedToIPv6) peer = peer.MapToIPv4();
        foreach (var n in Networks)
            if (n.Contains(peer)) return true;
        return false;
    }
}
