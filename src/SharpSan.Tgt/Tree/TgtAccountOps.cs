using SharpSan.Config;
using SharpSan.Tgt.Tgtadm;

namespace SharpSan.Tgt.Tree;

/// <summary>
/// `tgtadm --mode account` (usr/target.c account_add/del/ctl): tgt's global list of CHAP accounts,
/// bound to targets incoming (the initiator proves itself; several may be bound) or outgoing (the
/// target proves itself, mutual CHAP; one). Bound without a tid, an account is tgt's global one, used
/// for discovery sessions: that is LIO's discovery authentication in the tree (one incoming, one
/// outgoing account).
/// </summary>
internal static class TgtAccountOps
{
    public static void New(TgtTree tree, string user, string password)
    {
        var sys = tree.Config.Tgt;
        if (sys.FindAccount(user) is not null)
            throw new TgtadmException(TgtadmError.UserExist);
        if (user.Length == 0 || password.Length == 0)
            throw new TgtadmException(TgtadmError.InvalidRequest, "an account needs a user name and a password");
        sys.Accounts.Add(new TgtAccountConfig { User = user, Password = password });
    }

    /// <summary>account_del: unbinds the account everywhere first.</summary>
    public static void Delete(TgtTree tree, string user)
    {
        var sys = tree.Config.Tgt;
        var account = sys.FindAccount(user) ?? throw new TgtadmException(TgtadmError.NoUser);
        foreach (var t in tree.Targets)
        {
            t.Tgt!.IncomingUsers.Remove(user);
            if (t.Tgt.OutgoingUser == user) t.Tgt.OutgoingUser = "";
        }
        var d = tree.Config.DiscoveryAuth;
        if (d.UserId == user) ClearDiscoveryIncoming(d);
        if (d.MutualUserId == user) { d.MutualUserId = ""; d.MutualPassword = ""; }
        sys.Accounts.Remove(account);
        tree.SyncAll();
    }

    /// <summary>account_ctl with bind.</summary>
    public static void Bind(TgtTree tree, int tid, string user, bool outgoing)
    {
        if (tid == TgtadmRequest.GlobalTid)
        {
            BindDiscovery(tree, user, outgoing);
            return;
        }
        var target = TgtTargetOps.Require(tree, tid);
        var account = tree.Config.Tgt.FindAccount(user) ?? throw new TgtadmException(TgtadmError.NoUser);
        var tgt = target.Tgt!;
        if (!outgoing)
        {
            if (tgt.IncomingUsers.Contains(account.User)) throw new TgtadmException(TgtadmError.UserExist);
            tgt.IncomingUsers.Add(account.User);
        }
        else
        {
            if (tgt.OutgoingUser.Length > 0) throw new TgtadmException(TgtadmError.OutAccountExist);
            tgt.OutgoingUser = account.User;
        }
        tree.Sync(target);
    }

    /// <summary>account_ctl with unbind.</summary>
    public static void Unbind(TgtTree tree, int tid, string user, bool outgoing)
    {
        if (tid == TgtadmRequest.GlobalTid)
        {
            UnbindDiscovery(tree, user, outgoing);
            return;
        }
        var target = TgtTargetOps.Require(tree, tid);
        _ = tree.Config.Tgt.FindAccount(user) ?? throw new TgtadmException(TgtadmError.NoUser);
        var tgt = target.Tgt!;
        if (!outgoing)
        {
            if (!tgt.IncomingUsers.Remove(user)) throw new TgtadmException(TgtadmError.NoUser);
        }
        else
        {
            if (tgt.OutgoingUser != user) throw new TgtadmException(TgtadmError.NoUser);
            tgt.OutgoingUser = "";
        }
        tree.Sync(target);
    }

    private static void BindDiscovery(TgtTree tree, string user, bool outgoing)
    {
        var account = tree.Config.Tgt.FindAccount(user) ?? throw new TgtadmException(TgtadmError.NoUser);
        var d = tree.Config.DiscoveryAuth;
        if (!outgoing)
        {
            if (d.UserId == user) throw new TgtadmException(TgtadmError.UserExist);
            if (d.UserId.Length > 0)
                throw new TgtadmException(TgtadmError.TooManyUser, "SharpSAN's discovery authentication takes one incoming account");
            d.UserId = account.User;
            d.Password = account.Password;
            d.Enable = true;
        }
        else
        {
            if (d.MutualUserId.Length > 0) throw new TgtadmException(TgtadmError.OutAccountExist);
            d.MutualUserId = account.User;
            d.MutualPassword = account.Password;
        }
    }

    private static void UnbindDiscovery(TgtTree tree, string user, bool outgoing)
    {
        _ = tree.Config.Tgt.FindAccount(user) ?? throw new TgtadmException(TgtadmError.NoUser);
        var d = tree.Config.DiscoveryAuth;
        if (!outgoing)
        {
            if (d.UserId != user) throw new TgtadmException(TgtadmError.NoUser);
            ClearDiscoveryIncoming(d);
        }
        else
        {
            if (d.MutualUserId != user) throw new TgtadmException(TgtadmError.NoUser);
            d.MutualUserId = "";
            d.MutualPassword = "";
        }
    }

    /// <summary>Without an incoming account there is no discovery CHAP, and mutual CHAP needs one-way CHAP.</summary>
    private static void ClearDiscoveryIncoming(DiscoveryAuthConfig d)
    {
        d.UserId = "";
        d.Password = "";
        d.MutualUserId = "";
        d.MutualPassword = "";
        d.Enable = false;
    }
}
