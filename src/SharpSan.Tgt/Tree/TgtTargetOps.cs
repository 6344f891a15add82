using SharpSan.Config;
using SharpSan.Control;
using SharpSan.Tgt.Tgtadm;

namespace SharpSan.Tgt.Tree;

/// <summary>`tgtadm --mode target`: new, delete, bind, unbind, update, as usr/target.c and
/// usr/iscsi/target.c do them, on the tree.</summary>
internal static class TgtTargetOps
{
    /// <summary>usr/target.c tgt_target_create.</summary>
    public static void New(TgtTree tree, int tid, string name)
    {
        // tgt takes letters, digits, ':', '.' and '-' in a target name and nothing else.
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '.' or '-'))
            throw new TgtadmException(TgtadmError.InvalidRequest);
        if (tree.FindByTid(tid) is not null || tree.FindByName(name) is not null)
            throw new TgtadmException(TgtadmError.TargetExist);
        if (System.Text.Encoding.UTF8.GetByteCount(name) > IscsiName.MaxLength)
            throw new TgtadmException(TgtadmError.InvalidRequest, $"an iSCSI name has at most {IscsiName.MaxLength} bytes");
        tree.AddTarget(tid, name);
    }

    /// <summary>usr/target.c tgt_target_destroy: a target with I_T nexuses goes only with --force
    /// (the daemon then closes their sessions, as tgt's conn_close does).</summary>
    public static void Delete(TgtTree tree, int tid, bool force, IReadOnlyList<SessionInfo> sessions)
    {
        var target = Require(tree, tid);
        if (!force && NexusesOf(target, sessions).Any())
            throw new TgtadmException(TgtadmError.TargetActive);
        tree.RemoveTarget(target);
    }

    /// <summary>usr/mgmt.c target_mgmt OP_BIND: the address rule, then the name rule.</summary>
    public static void Bind(TgtTree tree, TgtadmRequest r)
    {
        if (r.InitiatorAddress is null && r.InitiatorName is null)
            throw HostBinding();
        var target = Require(tree, r.Tid);
        var tgt = target.Tgt!;
        if (r.InitiatorAddress is { } address)
        {
            if (tgt.InitiatorAddresses.Contains(address)) throw new TgtadmException(TgtadmError.AclExist);
            if (!TgtAddressRule.TryParse(address, out _))
                throw new TgtadmException(TgtadmError.InvalidRequest, $"\"{address}\" is not ALL, an IP address or an address/prefix");
            tgt.InitiatorAddresses.Add(address);
        }
        if (r.InitiatorName is { } name)
        {
            if (tgt.InitiatorNames.Contains(name)) throw new TgtadmException(TgtadmError.AclExist);
            tgt.InitiatorNames.Add(name);
        }
        tree.Sync(target);
    }

    /// <summary>usr/mgmt.c target_mgmt OP_UNBIND.</summary>
    public static void Unbind(TgtTree tree, TgtadmRequest r)
    {
        if (r.InitiatorAddress is null && r.InitiatorName is null)
            throw HostBinding();
        var target = Require(tree, r.Tid);
        var tgt = target.Tgt!;
        if (r.InitiatorAddress is { } address && !tgt.InitiatorAddresses.Remove(address))
            throw new TgtadmException(TgtadmError.AclNoExist);
        if (r.InitiatorName is { } name && !tgt.InitiatorNames.Remove(name))
            throw new TgtadmException(TgtadmError.AclNoExist);
        tree.Sync(target);
    }

    /// <summary>
    /// usr/mgmt.c target_mgmt OP_UPDATE: "state" (ready/offline) is tgt's own; the rest goes to the
    /// iSCSI driver (usr/iscsi/target.c iscsi_target_update), which knows the session keys.
    /// </summary>
    public static void Update(TgtTree tree, int tid, string name, string value)
    {
        var target = Require(tree, tid);
        if (name == "state")
        {
            if (value is not (TgtSystemConfig.Ready or TgtSystemConfig.Offline))
                throw new TgtadmException(TgtadmError.InvalidRequest);
            target.Tgt!.State = value;
            return;
        }
        if (name.StartsWith("Redirect", StringComparison.Ordinal) || name.StartsWith("nop_", StringComparison.Ordinal))
            throw new TgtadmException(TgtadmError.UnsupportedOperation, $"{name} is not supported by SharpSAN");
        if (TgtIscsiKeys.Canonical(name) is not { } key || !TgtIscsiKeys.TrySet(TgtTree.Tpg(target), key, value))
            throw new TgtadmException(TgtadmError.InvalidRequest);
    }

    public static TargetConfig Require(TgtTree tree, int tid)
        => tree.FindByTid(tid) ?? throw new TgtadmException(TgtadmError.NoTarget);

    /// <summary>A target's I_T nexuses: its normal sessions, in TSIH order.</summary>
    public static IEnumerable<SessionInfo> NexusesOf(TargetConfig target, IReadOnlyList<SessionInfo> sessions)
        => sessions.Where(s => s.SessionType != "Discovery" && string.Equals(s.TargetName, target.Wwn, StringComparison.OrdinalIgnoreCase))
            .OrderBy(s => s.Tsih);

    /// <summary>Binding a SCSI host (-H/-B) is for tgt's kernel-facing drivers, not iSCSI.</summary>
    private static TgtadmException HostBinding()
        => new(TgtadmError.UnsupportedOperation, "binding a SCSI host (--host, --bus) is not supported by SharpSAN");
}
