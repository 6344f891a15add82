using System.Text;
using SharpSan.Control;
using SharpSan.Tgt.Tgtadm;
using SharpSan.Tgt.Tree;

namespace SharpSan.Tgt.Show;

/// <summary>The other `tgtadm --op show` outputs: one target's parameters, lld, sys, account,
/// connections (usr/target.c, usr/iscsi/target.c, usr/iscsi/isns.c).</summary>
internal static class TgtInfoShow
{
    private const string Tab1 = "    ";

    /// <summary>`--mode target --op show --tid N`: usr/iscsi/target.c show_nop_info + show_iscsi_param.</summary>
    public static string TargetParameters(TgtTree tree, int tid)
    {
        var target = TgtTargetOps.Require(tree, tid);
        var b = new StringBuilder("nop_interval=0\nnop_count=0\n");
        foreach (var line in TgtIscsiKeys.Lines(TgtTree.Tpg(target))) b.Append(line).Append('\n');
        return b.ToString();
    }

    /// <summary>usr/target.c lld_show: SharpSAN's one driver is iSCSI; iSER is there as tgtd shows it
    /// without RDMA hardware.</summary>
    public static string Lld(TgtTree tree)
    {
        var b = new StringBuilder("LLDs:\n");
        b.Append($"{Tab1}iscsi: ready\n");
        foreach (var t in tree.Targets) b.Append($"{Tab1}{Tab1}Target {t.Tgt!.Tid}: {t.Wwn}\n");
        b.Append($"{Tab1}iser: error\n");
        return b.ToString();
    }

    /// <summary>usr/target.c system_show then the iSCSI driver's isns_show; the backing stores and
    /// device types listed are the ones SharpSAN serves.</summary>
    public static string System(TgtTree tree)
    {
        var b = new StringBuilder();
        b.Append($"System:\n{Tab1}State: {tree.Config.Tgt.State}\n{Tab1}debug: off\n");
        b.Append($"LLDs:\n{Tab1}iscsi: ready\n{Tab1}iser: error\n");
        b.Append($"Backing stores:\n{Tab1}mmc (bsoflags sync:direct)\n{Tab1}rdwr (bsoflags sync:direct)\n{Tab1}aio\n{Tab1}null\n");
        b.Append($"Device types:\n{Tab1}disk\n{Tab1}cd/dvd\n{Tab1}controller\n");
        var d = tree.Config.DiscoveryAuth;
        if (d.UserId.Length > 0)
        {
            // tgt prints this heading with a newline of its own inside "%s\n": a blank line follows.
            b.Append($"{Tab1}Account information:\n\n");
            b.Append($"{Tab1}{d.UserId}\n");
            if (d.MutualUserId.Length > 0) b.Append($"{Tab1}{d.MutualUserId} (outgoing)\n");
        }
        b.Append($"iSNS:\n{Tab1}iSNS=Off\n{Tab1}iSNSServerIP=\n{Tab1}iSNSServerPort=3205\n{Tab1}iSNSAccessControl=Off\n");
        return b.ToString();
    }

    /// <summary>usr/target.c account_show: tgtd adds accounts at the head of its list.</summary>
    public static string Accounts(TgtTree tree)
    {
        var accounts = tree.Config.Tgt.Accounts;
        if (accounts.Count == 0) return "";
        var b = new StringBuilder("Account list:\n");
        for (var i = accounts.Count - 1; i >= 0; i--) b.Append($"{Tab1}{accounts[i].User}\n");
        return b.ToString();
    }

    /// <summary>usr/iscsi/target.c iscsi_target_show_connections.</summary>
    public static string Connections(TgtTree tree, int tid, IReadOnlyList<SessionInfo> sessions)
    {
        var target = tree.FindByTid(tid) ?? throw new TgtadmException(TgtadmError.NoTarget);
        var b = new StringBuilder();
        foreach (var s in TgtTargetOps.NexusesOf(target, sessions))
            foreach (var c in s.Connections)
                b.Append($"Session: {s.Tsih}\n{Tab1}Connection: {c.Cid}\n{Tab1}{Tab1}Initiator: {s.InitiatorName}\n{Tab1}{Tab1}IP Address: {Plain(c.Address)}\n");
        return b.ToString();
    }

    private static string Plain(string address)
        => address.StartsWith("::ffff:", StringComparison.OrdinalIgnoreCase) && address.Contains('.') ? address[7..] : address;
}
