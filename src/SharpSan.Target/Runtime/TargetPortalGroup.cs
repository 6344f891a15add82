using System.Net;

namespace SharpSan.Target.Runtime;

/// <summary>A target portal group (RFC 7143 §4.4.1): portals, LUNs and ACLs of one target, and the
/// attributes LIO keeps per TPG.</summary>
public sealed class TargetPortalGroup
{
    public TargetPortalGroup(IscsiTargetNode target, ushort tag)
    {
        Target = target;
        Tag = tag;
    }

    private readonly ushort? _relativeTargetPortId;

    public IscsiTargetNode Target { get; }
    public ushort Tag { get; }

    /// <summary>RELATIVE TARGET PORT IDENTIFIER of this TPG's target port (SPC-4 7.8.6.7, REPORT TARGET
    /// PORT GROUPS): unique across the daemon, since a logical unit can be exported through several
    /// targets (LIO allocates them so); the tag unless the composer assigns another.</summary>
    public ushort RelativeTargetPortId
    {
        get => _relativeTargetPortId ?? Tag;
        init => _relativeTargetPortId = value;
    }
    public bool Enabled { get; init; } = true;
    /// <summary>LIO attribute "authentication": CHAP is required.</summary>
    public bool AuthenticationRequired { get; init; }
    /// <summary>LIO attribute "generate_node_acls": demo mode, any initiator may log in.</summary>
    public bool GenerateNodeAcls { get; init; }
    /// <summary>LIO attribute "demo_mode_write_protect".</summary>
    public bool DemoModeWriteProtect { get; init; }
    /// <summary>LIO attribute "prod_mode_write_protect": every LUN reached through an ACL is read-only.</summary>
    public bool ProdModeWriteProtect { get; init; }
    /// <summary>LIO attribute "demo_mode_discovery": demo-mode TPGs are listed in SendTargets to any initiator.</summary>
    public bool DemoModeDiscovery { get; init; } = true;
    /// <summary>LIO attribute "default_cmdsn_depth": the CmdSN window of each session (0 = the daemon's default).</summary>
    public int CommandWindow { get; init; }
    /// <summary>TPG-wide CHAP credentials, used for initiators without an ACL in demo mode.</summary>
    public ChapCredentials? DemoChap { get; init; }
    /// <summary>LIO attribute "tpg_enabled_sendtargets": a disabled TPG is left out of SendTargets
    /// (with 0 it is listed anyway, as LIO does for clustered gateways).</summary>
    public bool EnabledSendTargets { get; init; } = true;

    /// <summary>tgt targets: who may log in and see the target in SendTargets (tgt's rule instead of
    /// LIO's node ACLs). Null for LIO targets.</summary>
    public InitiatorAccessList? Access { get; init; }
    /// <summary>tgt targets: the incoming CHAP accounts, any of which an initiator may authenticate as
    /// (each carrying the outgoing account for mutual CHAP). Empty: no CHAP.</summary>
    public IReadOnlyList<ChapCredentials> ChapAccounts { get; init; } = Array.Empty<ChapCredentials>();
    /// <summary>tgt targets: the target (or tgtd's system state) is offline: logins are refused with a
    /// target error and commands of existing sessions are answered BUSY (tgt usr/target.c).</summary>
    public bool Offline { get; init; }
    /// <summary>tgt targets: tgtd's system state is offline (tgtadm --mode sys -n State -v offline):
    /// new logins are refused, sessions carry on (tgt stops accepting connections then).</summary>
    public bool RefusesLogins { get; init; }

    public List<IPEndPoint> Portals { get; } = new();
    public SortedDictionary<ulong, LogicalUnit> Luns { get; } = new();
    public Dictionary<string, NodeAcl> Acls { get; } = new(StringComparer.Ordinal);
    /// <summary>iSCSI parameters from the config ("parameters" in saveconfig.json) as our negotiation values.</summary>
    public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);

    /// <summary>True when this TPG has a portal that accepts connections arriving at <paramref name="local"/>.</summary>
    public bool ServesPortal(IPEndPoint local)
    {
        foreach (var p in Portals)
        {
            if (p.Port != local.Port) continue;
            if (p.Address.Equals(local.Address)) return true;
            if (p.Address.Equals(IPAddress.Any) && local.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) return true;
            if (p.Address.Equals(IPAddress.IPv6Any)) return true;
            if (local.Address.IsIPv4MappedToIPv6 && p.Address.Equals(local.Address.MapToIPv4())) return true;
            if (local.Address.IsIPv4MappedToIPv6 && p.Address.Equals(IPAddress.Any)) return true;
        }
        return false;
    }

    /// <summary>The LUN inventory an initiator sees: its ACL's mapped LUNs, or in demo mode every TPG LUN.</summary>
    internal LunMap BuildLunMap(NodeAcl? acl)
    {
        var entries = new List<LunEntry>();
        if (acl is not null)
        {
            foreach (var m in acl.MappedLuns)
            {
                if (Luns.TryGetValue(m.TpgLun, out var lu)) entries.Add(new LunEntry(m.Lun, lu, m.WriteProtect || ProdModeWriteProtect));
            }
        }
        else
        {
            foreach (var (index, lu) in Luns) entries.Add(new LunEntry(index, lu, DemoModeWriteProtect));
        }
        return new LunMap(entries);
    }
}
