using SharpSan.Config;
using SharpSan.TargetCli.Tree;

namespace SharpSan.TargetCli.Shell;

/// <summary>
/// The four CHAP values of a TPG, an ACL or discovery auth, by their auth parameter names (userid,
/// password, mutual_userid, mutual_password). The config model gives the three no common type, so the
/// auth groups read the values into this, change one and write them all back.
/// </summary>
internal readonly record struct ChapCredentials(string UserId, string Password, string MutualUserId, string MutualPassword)
{
    public string this[string name] => name switch
    {
        "userid" => UserId,
        "password" => Password,
        "mutual_userid" => MutualUserId,
        _ => MutualPassword,
    };

    public ChapCredentials With(string name, string value) => name switch
    {
        "userid" => this with { UserId = value },
        "password" => this with { Password = value },
        "mutual_userid" => this with { MutualUserId = value },
        _ => this with { MutualPassword = value },
    };

    /// <summary>A TPG's credentials on a TPG node, else the ACL's.</summary>
    public static ChapCredentials Of(TreeNode node) => node.Kind == NodeKind.Tpg
        ? new(node.Tpg!.ChapUserId, node.Tpg.ChapPassword, node.Tpg.ChapMutualUserId, node.Tpg.ChapMutualPassword)
        : new(node.Acl!.ChapUserId, node.Acl.ChapPassword, node.Acl.ChapMutualUserId, node.Acl.ChapMutualPassword);

    public static ChapCredentials Of(DiscoveryAuthConfig auth) => new(auth.UserId, auth.Password, auth.MutualUserId, auth.MutualPassword);

    public void WriteTo(TreeNode node)
    {
        if (node.Kind == NodeKind.Tpg)
            (node.Tpg!.ChapUserId, node.Tpg.ChapPassword, node.Tpg.ChapMutualUserId, node.Tpg.ChapMutualPassword) = this;
        else
            (node.Acl!.ChapUserId, node.Acl.ChapPassword, node.Acl.ChapMutualUserId, node.Acl.ChapMutualPassword) = this;
    }

    public void WriteTo(DiscoveryAuthConfig auth) => (auth.UserId, auth.Password, auth.MutualUserId, auth.MutualPassword) = this;
}
