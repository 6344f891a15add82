using System.Text;
using SharpSan.Config;
using SharpSan.Control;
using SharpSan.Tgt.Tree;

namespace SharpSan.Tgt.Show;

/// <summary>
/// `tgtadm --op show --mode target`, byte for byte as usr/target.c tgt_target_show_all prints it
/// (tgt 1.0.85 and 1.0.97: with the "Prevent removal", "SWP" and "Thin-provisioning" lines older
/// releases lacked), followed for one target by usr/iscsi/target.c's parameter list.
/// </summary>
internal static class TgtTargetShow
{
    private const string Tab1 = "    ";
    private const string Tab2 = Tab1 + Tab1;
    private const string Tab3 = Tab2 + Tab1;
    private const string Tab4 = Tab3 + Tab1;

    public static string All(TgtTree tree, IReadOnlyList<SessionInfo> sessions)
    {
        var b = new StringBuilder();
        foreach (var target in tree.Targets)
            Target(b, tree, target, sessions);
        return b.ToString();
    }

    private static void Target(StringBuilder b, TgtTree tree, TargetConfig target, IReadOnlyList<SessionInfo> sessions)
    {
        var tgt = target.Tgt!;
        b.Append($"Target {tgt.Tid}: {target.Wwn}\n");
        b.Append($"{Tab1}System information:\n{Tab2}Driver: iscsi\n{Tab2}State: {tgt.State}\n");
        b.Append($"{Tab1}I_T nexus information:\n");
        foreach (var s in TgtTargetOps.NexusesOf(target, sessions))
        {
            // usr/iscsi/session.c: the nexus text is written once, at login, from the first connection.
            b.Append($"{Tab2}I_T nexus: {s.Tsih}\n");
            b.Append($"{Tab3}Initiator: {s.InitiatorName} alias: {(s.InitiatorAlias.Length > 0 ? s.InitiatorAlias : "none")}\n");
            if (s.Connections.Count > 0)
            {
                var c = s.Connections[0];
                b.Append($"{Tab3}Connection: {c.Cid}\n{Tab4}IP Address: {Address(c.Address)}\n");
            }
        }
        b.Append($"{Tab1}LUN information:\n");
        if (tgt.ControllerLun)
            Lun(b, 0, "controller", TgtTree.ScsiId(tgt.Tid, 0), TgtTree.ScsiSerial(tgt.Tid, 0), 0, 1, true, false, false, false, "null", "None", "");
        foreach (var (lun, so) in tree.Luns(target))
        {
            var d = so.Device;
            Lun(b, lun.Index, d.IsCd ? "cd/dvd" : "disk",
                d.ScsiId.Length > 0 ? d.ScsiId : TgtTree.ScsiId(tgt.Tid, lun.Index),
                d.ScsiSerial.Length > 0 ? d.ScsiSerial : TgtTree.ScsiSerial(tgt.Tid, lun.Index),
                SizeOf(so), d.IsCd ? 1 : so.BlockSize, d.Online, d.Removable || d.IsCd, d.Readonly || so.Readonly, d.ThinProvisioning,
                d.IsCd ? "mmc" : (d.TgtBsType.Length > 0 ? d.TgtBsType : "rdwr"), so.Dev.Length > 0 ? so.Dev : d.TgtBsPath.Length > 0 ? d.TgtBsPath : "None", d.TgtBsOFlags);
        }
        b.Append($"{Tab1}Account information:\n");
        foreach (var user in tgt.IncomingUsers) b.Append($"{Tab2}{user}\n");
        if (tgt.OutgoingUser.Length > 0) b.Append($"{Tab2}{tgt.OutgoingUser} (outgoing)\n");
        b.Append($"{Tab1}ACL information:\n");
        foreach (var a in tgt.InitiatorAddresses) b.Append($"{Tab2}{a}\n");
        foreach (var n in tgt.InitiatorNames) b.Append($"{Tab2}{n}\n");
    }

    private static void Lun(StringBuilder b, ulong lun, string type, string scsiId, string scsiSn, ulong size, int blockSize,
        bool online, bool removable, bool readOnly, bool thin, string bsType, string path, string flags)
    {
        b.Append($"{Tab2}LUN: {lun}\n");
        b.Append($"{Tab3}Type: {type}\n");
        b.Append($"{Tab3}SCSI ID: {scsiId}\n");
        b.Append($"{Tab3}SCSI SN: {scsiSn}\n");
        b.Append($"{Tab3}Size: {DiskSize(size)}, Block size: {blockSize}\n");
        b.Append($"{Tab3}Online: {YesNo(online)}\n");
        b.Append($"{Tab3}Removable media: {YesNo(removable)}\n");
        // PREVENT ALLOW MEDIUM REMOVAL and the software write protect bit are live unit state the
        // tree does not hold.
        b.Append($"{Tab3}Prevent removal: No\n");
        b.Append($"{Tab3}Readonly: {YesNo(readOnly)}\n");
        b.Append($"{Tab3}SWP: No\n");
        b.Append($"{Tab3}Thin-provisioning: {YesNo(thin)}\n");
        b.Append($"{Tab3}Backing store type: {bsType}\n");
        b.Append($"{Tab3}Backing store path: {path}\n");
        b.Append($"{Tab3}Backing store flags: {flags}\n");
    }

    /// <summary>
    /// usr/target.c print_disksize, to the byte: mb = ((s/512) - ((s/512)/625 - 974)) / 1950 in
    /// unsigned 64-bit arithmetic (wrapping for small sizes), which is how tgt gets "105 MB" for 100 MiB.
    /// </summary>
    public static string DiskSize(ulong size)
    {
        var sectors = size / 512;
        var mb = unchecked((sectors - ((sectors / 625) - 974)) / 1950);
        return $"{mb} MB";
    }

    /// <summary>The unit's size in bytes: the storage object's, else the file's or block device's.</summary>
    private static ulong SizeOf(StorageObjectConfig so)
    {
        if (so.Size > 0) return so.Size;
        return BackingStoreProbe.Probe(so.Dev)?.Size ?? 0;
    }

    /// <summary>getnameinfo(NI_NUMERICHOST) of an IPv4 peer on tgtd's IPv4 socket: the plain address.</summary>
    private static string Address(string address)
        => address.StartsWith("::ffff:", StringComparison.OrdinalIgnoreCase) && address.Contains('.') ? address[7..] : address;

    private static string YesNo(bool value) => value ? "Yes" : "No";
}
