using System.Text;
using System.Text.RegularExpressions;
using SharpSan.Tgt.Tree;

namespace SharpSan.Tgt.Admin;

/// <summary>
/// tgt-admin --dump (scripts/tgt-admin dump_config): the running targets as a targets.conf, from
/// what `tgtadm --op show` tells: backing stores, accounts (passwords are not shown, so a
/// placeholder), and the ACL unless it is ALL alone (an entry of digits, dots and commas is an
/// address, anything else a name, as tgt-admin decides).
/// </summary>
internal static partial class TgtAdminDump
{
    public static string Write(TgtTree tree)
    {
        var b = new StringBuilder();
        var targets = tree.Targets.ToList();
        if (targets.Count > 0) b.Append("default-driver iscsi\n\n");
        foreach (var t in targets)
        {
            var tgt = t.Tgt!;
            b.Append($"<target {t.Wwn}>\n");
            foreach (var (_, so) in tree.Luns(t)) b.Append($"\tbacking-store {so.Dev}\n");
            foreach (var user in tgt.IncomingUsers) b.Append($"\tincominguser {user} PLEASE_CORRECT_THE_PASSWORD\n");
            if (tgt.OutgoingUser.Length > 0) b.Append($"\toutgoinguser {tgt.OutgoingUser} PLEASE_CORRECT_THE_PASSWORD\n");
            var acl = tgt.InitiatorAddresses.Concat(tgt.InitiatorNames).ToList();
            if (acl.Count != 1 || acl[0] != "ALL")
                foreach (var entry in acl)
                    b.Append(Address().IsMatch(entry) ? $"\tinitiator-address {entry}\n" : $"\tinitiator-name {entry}\n");
            b.Append("</target>\n\n");
        }
        return b.ToString();
    }

    [GeneratedRegex("^[0-9,.E]+$")]
    private static partial Regex Address();
}
