using SharpSan.Config;
using SharpSan.Tgt.Tgtadm;

namespace SharpSan.Tgt.Tree;

/// <summary>`tgtadm --mode sys --op update -n NAME -v VALUE` (usr/mgmt.c sys_mgmt, usr/iscsi/isns.c
/// isns_update): debug, tgt's system State (offline refuses new logins to tgt targets), and iSNS.</summary>
internal static class TgtSystemOps
{
    public static void Update(TgtTree tree, string name, string value)
    {
        var text = $"{name}={value}";
        if (text.StartsWith("debug=", StringComparison.Ordinal))
        {
            // tgtd's own debug log: SharpSAN logs with --log-level, so this is accepted and changes nothing.
            if (value.StartsWith("on", StringComparison.Ordinal) || value.StartsWith("off", StringComparison.Ordinal)) return;
            throw new TgtadmException(TgtadmError.InvalidRequest);
        }
        // isns_update reads a comma-separated list of KEY=VALUE items.
        foreach (var token in text.Split(','))
        {
            if (token.Length == 0) continue;
            var eq = token.IndexOf('=');
            var key = eq < 0 ? token : token[..eq];
            var v = eq < 0 ? null : token[(eq + 1)..];
            switch (key)
            {
                case "State" when v is not null:
                    // system_set_state copies at most 15 characters before comparing.
                    var state = v.Length > 15 ? v[..15] : v;
                    if (state is not (TgtSystemConfig.Ready or TgtSystemConfig.Offline))
                        throw new TgtadmException(TgtadmError.InvalidRequest);
                    tree.Config.Tgt.State = state;
                    break;
                case "iSNS" when v == "Off":
                    break;
                case "iSNS" when v == "On":
                case "iSNSServerIP" or "iSNSServerPort" or "iSNSAccessControl" when v is not null:
                    throw new TgtadmException(TgtadmError.UnsupportedOperation, "iSNS is not supported by SharpSAN");
                default:
                    throw new TgtadmException(TgtadmError.InvalidRequest);
            }
        }
    }
}
