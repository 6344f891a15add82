using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using SharpSan.Config;

namespace SharpSan.Tgt.Tree;

/// <summary>
/// tgt's view of the one configuration tree: the targets that carry a tid (<see cref="TargetConfig.Tgt"/>)
/// and what tgtd keeps for them. A tgt target is an ordinary target of the tree (one TPG, tag 1,
/// generate_node_acls=1, writable) so targetcli and saveconfig.json see it; what tgt adds (tid,
/// address and name ACLs, accounts, state, its SCSI identity scheme) lives in the SharpSAN extensions.
/// Every change here is followed by <see cref="Sync"/>, which derives the LIO side (portals, node ACLs
/// for initiator names, authentication) from the tgt side, so the two never disagree.
/// </summary>
internal sealed class TgtTree(SanConfig config)
{
    /// <summary>Where tgtd listens when no portal was given: SharpSAN's tgt targets listen on IPv4's
    /// wildcard (tgtd also binds [::]:3260; add that portal for IPv6).</summary>
    public const string DefaultPortal = "0.0.0.0:3260";

    public SanConfig Config { get; } = config;

    /// <summary>tgt targets in tid order (tgtd keeps its target list sorted by tid).</summary>
    public IEnumerable<TargetConfig> Targets => Config.Targets.Where(t => t.Tgt is not null).OrderBy(t => t.Tgt!.Tid);

    public TargetConfig? FindByTid(int tid) => Config.Targets.FirstOrDefault(t => t.Tgt?.Tid == tid);

    /// <summary>Any target of the tree with this name: a targetcli target holds its IQN too.</summary>
    public TargetConfig? FindByName(string name) => Config.Targets.FirstOrDefault(t => string.Equals(t.Wwn, name, StringComparison.OrdinalIgnoreCase));

    public static TpgConfig Tpg(TargetConfig target) => target.Tpgs[0];

    public StorageObjectConfig? StorageObject(LunConfig lun) => Config.StorageObjects.FirstOrDefault(s => s.Path == lun.StorageObject);

    /// <summary>The LUNs tgt would list after the controller, in LUN order, with their storage objects.</summary>
    public IEnumerable<(LunConfig Lun, StorageObjectConfig Object)> Luns(TargetConfig target)
        => Tpg(target).Luns.OrderBy(l => l.Index).Select(l => (l, StorageObject(l)!)).Where(x => x.Item2 is not null);

    /// <summary>tgt's portals as "IP:PORT" (IPv6 in brackets), in the order they were added.</summary>
    public IReadOnlyList<string> EffectivePortals => Config.Tgt.Portals.Count == 0 ? [DefaultPortal] : Config.Tgt.Portals;

    /// <summary>Creates the tree side of `tgtadm --op new --mode target`.</summary>
    public TargetConfig AddTarget(int tid, string name)
    {
        var target = new TargetConfig { Wwn = name, Tgt = new TgtTargetConfig { Tid = tid } };
        target.Tpgs.Add(new TpgConfig { Tag = 1, Enable = true, GenerateNodeAcls = true, DemoModeWriteProtect = false });
        Config.Targets.Add(target);
        Sync(target);
        return target;
    }

    /// <summary>Removes a tgt target and the storage objects of its LUNs.</summary>
    public void RemoveTarget(TargetConfig target)
    {
        foreach (var lun in Tpg(target).Luns)
            Config.StorageObjects.RemoveAll(s => s.Path == lun.StorageObject);
        Config.Targets.Remove(target);
    }

    /// <summary>Derives the LIO side of every tgt target from its tgt settings.</summary>
    public void SyncAll()
    {
        foreach (var t in Targets) Sync(t);
    }

    /// <summary>
    /// The LIO side of one tgt target: its portals are tgt's portals; CHAP is required when an
    /// incoming account is bound (tgt usr/iscsi/chap.c asks for CHAP as soon as one is); each
    /// initiator name ACL that is a valid iSCSI name is a node ACL with every LUN mapped, so
    /// `targetcli ls` shows who may log in (names LIO could not hold stay tgt-only).
    /// </summary>
    public void Sync(TargetConfig target)
    {
        var tgt = target.Tgt!;
        var tpg = Tpg(target);
        tpg.Portals.Clear();
        foreach (var p in EffectivePortals)
        {
            if (!ConfigValidator.TryParsePortal(p, out var ep)) continue;
            tpg.Portals.Add(new PortalConfig { IpAddress = Literal(ep.Address), Port = ep.Port });
        }
        tpg.Authentication = tgt.IncomingUsers.Count > 0;
        var names = tgt.InitiatorNames.Where(IscsiName.IsValid).ToList();
        tpg.NodeAcls.RemoveAll(a => !names.Contains(a.NodeWwn, StringComparer.OrdinalIgnoreCase));
        foreach (var name in names)
        {
            var acl = tpg.NodeAcls.FirstOrDefault(a => string.Equals(a.NodeWwn, name, StringComparison.OrdinalIgnoreCase));
            if (acl is null)
            {
                acl = new NodeAclConfig { NodeWwn = name };
                tpg.NodeAcls.Add(acl);
            }
            acl.MappedLuns.RemoveAll(m => !tpg.Luns.Any(l => l.Index == m.TpgLun && l.Index == m.Index));
            foreach (var lun in tpg.Luns.OrderBy(l => l.Index))
                if (!acl.MappedLuns.Any(m => m.Index == lun.Index))
                    acl.MappedLuns.Add(new MappedLunConfig { Index = lun.Index, TpgLun = lun.Index });
            acl.MappedLuns.Sort((a, b) => a.Index.CompareTo(b.Index));
        }
    }

    /// <summary>
    /// tgt's SCSI ID of a LUN (usr/spc.c spc_lu_init: "IET     %04x%04" PRIx64, tid then LUN in hex).
    /// </summary>
    public static string ScsiId(int tid, ulong lun) => $"IET     {tid:x4}{lun:x4}";

    /// <summary>tgt's SCSI serial number (usr/spc.c spc_lu_init: "beaf%d%" PRIu64, in decimal).</summary>
    public static string ScsiSerial(int tid, ulong lun) => $"beaf{tid}{lun}";

    /// <summary>
    /// The storage object's wwn (the unit serial LIO keeps): derived from the target name and LUN
    /// (a name-based UUID) rather than random, so a LUN that tgt-admin defines again from the same
    /// targets.conf line is the same unit: the daemon keeps it open and its sessions see no change.
    /// </summary>
    public static string Wwn(string targetName, ulong lun)
    {
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes($"sharpsan-tgt:{targetName.ToLowerInvariant()}:{lun}"));
        hash[6] = (byte)((hash[6] & 0x0f) | 0x50); // RFC 4122 version 5
        hash[8] = (byte)((hash[8] & 0x3f) | 0x80);
        var h = Convert.ToHexString(hash, 0, 16).ToLowerInvariant();
        return $"{h[..8]}-{h[8..12]}-{h[12..16]}-{h[16..20]}-{h[20..32]}";
    }

    /// <summary>"IP:PORT" as tgt prints a portal: IPv6 in brackets.</summary>
    public static string FormatPortal(IPAddress address, int port)
        => address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";

    private static string Literal(IPAddress address) => address.ToString();
}
