using SharpSan.Control;
using SharpSan.Tgt.Tree;

namespace SharpSan.Tgt.Tgtadm;

/// <summary>
/// The tgtadm requests that change tgtd's state, as changes of the tree: what tgtadm sends the daemon
/// and what tgt-admin applies for each tgtadm command it would have run.
/// </summary>
internal static class TgtadmOperations
{
    /// <summary>The change <paramref name="r"/> makes (given the tree and the live sessions), or null
    /// for a request that only reads.</summary>
    public static Action<TgtTree, IReadOnlyList<SessionInfo>>? Change(TgtadmRequest r) => (r.Mode, r.Op) switch
    {
        (TgtadmMode.System, TgtadmOp.Update) => (t, _) => TgtSystemOps.Update(t, r.Name!, r.Value!),
        (TgtadmMode.Target, TgtadmOp.New) => (t, _) => TgtTargetOps.New(t, r.Tid, r.TargetName!),
        (TgtadmMode.Target, TgtadmOp.Delete) => (t, s) => TgtTargetOps.Delete(t, r.Tid, r.Force, s),
        (TgtadmMode.Target, TgtadmOp.Bind) => (t, _) => TgtTargetOps.Bind(t, r),
        (TgtadmMode.Target, TgtadmOp.Unbind) => (t, _) => TgtTargetOps.Unbind(t, r),
        (TgtadmMode.Target, TgtadmOp.Update) => (t, _) => TgtTargetOps.Update(t, r.Tid, r.Name!, r.Value!),
        (TgtadmMode.Device, TgtadmOp.New) => (t, _) => TgtLunOps.New(t, r),
        (TgtadmMode.Device, TgtadmOp.Delete) => (t, _) => TgtLunOps.Delete(t, r.Tid, r.Lun),
        (TgtadmMode.Device, TgtadmOp.Update) => (t, _) => TgtLunParams.Update(t, r.Tid, r.Lun, r),
        (TgtadmMode.Account, TgtadmOp.New) => (t, _) => TgtAccountOps.New(t, r.User!, r.Password!),
        // usr/mgmt.c account_mgmt looks for "user=" in the request: without --user tgtd finds none.
        (TgtadmMode.Account, TgtadmOp.Delete) => (t, _) => TgtAccountOps.Delete(t, r.User ?? throw new TgtadmException(TgtadmError.InvalidRequest)),
        (TgtadmMode.Account, TgtadmOp.Bind) => (t, _) => TgtAccountOps.Bind(t, r.Tid, r.User!, r.Outgoing),
        (TgtadmMode.Account, TgtadmOp.Unbind) => (t, _) => TgtAccountOps.Unbind(t, r.Tid, r.User!, r.Outgoing),
        (TgtadmMode.Portal, TgtadmOp.New) => (t, _) => TgtPortalOps.New(t, PortalText(r)),
        (TgtadmMode.Portal, TgtadmOp.Delete) => (t, _) => TgtPortalOps.Delete(t, PortalText(r)),
        _ => null,
    };

    public static bool NeedsSessions(TgtadmRequest r) => r is { Mode: TgtadmMode.Target, Op: TgtadmOp.Delete };

    /// <summary>tgtd finds "portal=" anywhere in the request text (usr/target.c tgt_portal_create).</summary>
    private static string PortalText(TgtadmRequest r)
    {
        var text = r.PortalOps ?? "";
        var i = text.IndexOf("portal=", StringComparison.Ordinal);
        return i < 0 ? throw new TgtadmException(TgtadmError.InvalidRequest) : text[i..];
    }
}
