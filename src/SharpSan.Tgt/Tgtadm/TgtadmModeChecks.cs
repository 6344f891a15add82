namespace SharpSan.Tgt.Tgtadm;

/// <summary>
/// The checks usr/tgtadm.c main() makes per mode before sending anything: which options a mode/op
/// allows (verify_mode_params: the first option, in command-line order, outside the allowed set),
/// which it requires, with tgtadm's texts (typos included: "initiator-nameor bus").
/// </summary>
internal static class TgtadmModeChecks
{
    /// <summary>The message for the first failed check, or null.</summary>
    public static string? Check(TgtadmRequest r, string opName, IReadOnlyList<char> seen)
    {
        switch (r.Mode)
        {
            case TgtadmMode.System: return System(r, opName, seen);
            case TgtadmMode.Target: return Target(r, opName, seen);
            case TgtadmMode.Account: return Account(r, opName, seen);
            case TgtadmMode.Device: return Device(r, opName, seen);
            case TgtadmMode.Portal: return Portal(r, opName, seen);
            case TgtadmMode.Lld: return Lld(r, seen);
            default: return null; // session and connection: tgtadm checks nothing
        }
    }

    /// <summary>usr/tgtadm.c verify_mode_params: '-d' is always allowed.</summary>
    private static char Disallowed(IReadOnlyList<char> seen, string allowed)
        => seen.FirstOrDefault(c => !allowed.Contains(c) && c != 'd');

    private static string? NotAllowed(IReadOnlyList<char> seen, string allowed, string format)
        => Disallowed(seen, allowed) is var c and not '\0' ? string.Format(format, c) : null;

    private static string? System(TgtadmRequest r, string opName, IReadOnlyList<char> seen)
    {
        switch (r.Op)
        {
            case TgtadmOp.Update:
                return NotAllowed(seen, "LmonvC", "system mode: option '-{0}' is not allowed/supported")
                    ?? (r.Name is null || r.Value is null ? "update operation requires 'name' and 'value' options" : null);
            case TgtadmOp.Show or TgtadmOp.Delete or TgtadmOp.Stats:
                return null;
            default:
                return $"operation {opName} not supported in system mode";
        }
    }

    private static string? Target(TgtadmRequest r, string opName, IReadOnlyList<char> seen)
    {
        if (r.Tid <= 0 && r.Op != TgtadmOp.Show)
            return r.Tid == 0 ? "'tid' cannot be 0" : "'tid' option is necessary";
        const string format = "target mode: option '-{0}' is not allowed/supported";
        switch (r.Op)
        {
            case TgtadmOp.New:
                return NotAllowed(seen, "LmotTC", format)
                    ?? (r.TargetName is null ? "creating new target requires a name, use --targetname" : null);
            case TgtadmOp.Delete:
                return NotAllowed(seen, "LmotCF", format);
            case TgtadmOp.Show or TgtadmOp.Stats:
                return NotAllowed(seen, "LmotC", format);
            case TgtadmOp.Bind or TgtadmOp.Unbind:
                return NotAllowed(seen, "LmotIQBHC", format)
                    ?? (r.InitiatorAddress is null && r.InitiatorName is null && r.HostNo == 0
                        ? $"{opName} operation requires initiator-address, initiator-nameor bus" : null);
            case TgtadmOp.Update:
                return NotAllowed(seen, "LmotnvC", format)
                    ?? (r.Name is null || r.Value is null ? "update operation requires 'name' and 'value' options" : null);
            default:
                return $"operation {opName} not supported in target mode";
        }
    }

    private static string? Account(TgtadmRequest r, string opName, IReadOnlyList<char> seen)
    {
        const string format = "account mode: option '-{0}' is not allowed/supported";
        switch (r.Op)
        {
            case TgtadmOp.New:
                return NotAllowed(seen, "LmoupfC", format)
                    ?? (r.User is null || r.Password is null ? "'user' and 'password' options are required" : null);
            case TgtadmOp.Show:
                return NotAllowed(seen, "LmoC", format);
            case TgtadmOp.Delete:
                return NotAllowed(seen, "LmouC", format);
            case TgtadmOp.Bind or TgtadmOp.Unbind:
                return NotAllowed(seen, "LmotuOC", format) ?? (r.User is null ? "'user' option is necessary" : null);
            default:
                return $"operation {opName} not supported in account mode";
        }
    }

    private static string? Device(TgtadmRequest r, string opName, IReadOnlyList<char> seen)
    {
        if (r.Tid <= 0)
            return r.Tid == 0 ? "'tid' must not be 0" : "'tid' option is necessary";
        if (r.Lun == ulong.MaxValue)
            return "'lun' option is necessary";
        const string format = "logicalunit mode: option '-{0}' is not allowed/supported";
        switch (r.Op)
        {
            case TgtadmOp.New:
                return NotAllowed(seen, "LmofytlbEYCS", format)
                    ?? (r.Path is null && r.DeviceType is not (TgtDeviceType.Mmc or TgtDeviceType.Tape or TgtDeviceType.Disk)
                        ? "'backing-store' option is necessary" : null);
            case TgtadmOp.Delete or TgtadmOp.Stats:
                return NotAllowed(seen, "LmotlC", format);
            case TgtadmOp.Update:
                return NotAllowed(seen, "LmofytlPC", "option '-{0}' not supported in logicalunit mode");
            default:
                return $"operation {opName} not supported in logicalunit mode";
        }
    }

    private static string? Portal(TgtadmRequest r, string opName, IReadOnlyList<char> seen)
    {
        const string format = "portal mode: option '-{0}' is not allowed/supported";
        switch (r.Op)
        {
            case TgtadmOp.New or TgtadmOp.Delete:
                return NotAllowed(seen, "LmoCP", format) ?? (r.PortalOps is null ? "you must specify --param portal=<portal>" : null);
            case TgtadmOp.Show:
                return NotAllowed(seen, "LmoC", "option '-{0}' not supported in portal mode");
            default:
                return $"operation {opName} not supported in portal mode";
        }
    }

    private static string? Lld(TgtadmRequest r, IReadOnlyList<char> seen)
    {
        if (r.Op is TgtadmOp.Start or TgtadmOp.Stop or TgtadmOp.Show)
            return NotAllowed(seen, "LmoC", "lld mode: option '-{0}' is not allowed/supported");
        // tgtadm.c prints the op's number here, not its name.
        return $"option {(int)r.Op} not supported in lld mode";
    }
}
