using SharpSan.Tgt.Getopt;

namespace SharpSan.Tgt.Tgtadm;

/// <summary>
/// tgtadm's command line, exactly as usr/tgtadm.c main() reads it: the same getopt_long table and
/// short option string (where "-F" and "-O" oddly take an argument), the same parse-time exits (an
/// unknown --op or --mode exits 1 at once, a bad number prints "-t argument value 'x' invalid"), and
/// the same per-mode checks, in the same order, with the same texts and exit code 22.
/// </summary>
internal static class TgtadmCommandLine
{
    private const string ShortOptions = "dhVL:o:m:t:s:c:l:n:v:b:E:f:y:T:I:Q:u:p:H:F:P:B:Y:O:C:S:";

    private static readonly LongOption[] LongOptions =
    [
        new("debug", false, 'd'), new("help", false, 'h'), new("version", false, 'V'),
        new("lld", true, 'L'), new("op", true, 'o'), new("mode", true, 'm'), new("tid", true, 't'),
        new("sid", true, 's'), new("cid", true, 'c'), new("lun", true, 'l'), new("name", true, 'n'),
        new("value", true, 'v'), new("backing-store", true, 'b'), new("bstype", true, 'E'),
        new("bsopts", true, 'S'), new("bsoflags", true, 'f'), new("blocksize", true, 'y'),
        new("targetname", true, 'T'), new("initiator-address", true, 'I'), new("initiator-name", true, 'Q'),
        new("user", true, 'u'), new("password", true, 'p'), new("host", true, 'H'), new("force", false, 'F'),
        new("params", true, 'P'), new("bus", true, 'B'), new("device-type", true, 'Y'),
        new("outgoing", false, 'O'), new("control-port", true, 'C'),
    ];

    /// <summary>Parses <paramref name="args"/>; returns the request, or the outcome tgtadm would exit with.</summary>
    public static TgtadmRequest? Parse(IReadOnlyList<string> args, out TgtadmOutcome? exit)
    {
        exit = null;
        var req = new TgtadmRequest();
        int op = -1, mode = -1;
        string? opName = null;
        var seen = new List<char>();
        var getopt = new GetoptLong(args, ShortOptions, LongOptions);
        while (getopt.Next(out var item))
        {
            if (item.IsError)
            {
                exit = new TgtadmOutcome(TgtadmOutcome.Einval, "", $"tgtadm: {item.Error}\n{TgtadmUsage.TryHelp}");
                return null;
            }
            seen.Add(item.Option);
            var arg = item.Argument!;
            switch (item.Option)
            {
                case 'L': req.Lld = arg; break;
                case 'o':
                    op = OpOf(arg);
                    if (op < 0) { exit = new TgtadmOutcome(1, "", $"tgtadm: unknown operation: {arg}\n"); return null; }
                    opName = arg;
                    break;
                case 'm':
                    mode = ModeOf(arg);
                    if (mode < 0) { exit = new TgtadmOutcome(1, "", $"tgtadm: unknown mode: {arg}\n"); return null; }
                    break;
                case 't':
                    if (!TgtNumber.TryParseInt(arg, 0, out var tid, out var bad)) { exit = BadArgument(bad, 't', arg); return null; }
                    req.Tid = tid;
                    break;
                case 's':
                    if (!TgtNumber.TryParseUInt64(arg, out var sid, out bad)) { exit = BadArgument(bad, 's', arg); return null; }
                    req.Sid = sid;
                    break;
                case 'c':
                    if (!TgtNumber.TryParseUInt32(arg, out var cid, out bad)) { exit = BadArgument(bad, 'c', arg); return null; }
                    req.Cid = cid;
                    break;
                case 'l':
                    if (!TgtNumber.TryParseUInt64(arg, out var lun, out bad)) { exit = BadArgument(bad, 'l', arg); return null; }
                    req.Lun = lun;
                    break;
                case 'P':
                    // tgtadm.c decides by the mode given so far: --params before --mode portal is a target's.
                    if (mode == (int)TgtadmMode.Portal) req.PortalOps = arg; else req.TargetOps = arg;
                    break;
                case 'n': req.Name = arg; break;
                case 'v': req.Value = arg; break;
                case 'b': req.Path = arg; break;
                case 'T': req.TargetName = arg; break;
                case 'I': req.InitiatorAddress = arg; break;
                case 'Q': req.InitiatorName = arg; break;
                case 'u': req.User = arg; break;
                case 'p': req.Password = arg; break;
                case 'B':
                    // A SCSI host on a bus (usr/tgtadm.c bus_to_host): for the kernel's target
                    // drivers, which SharpSAN is not; any non-zero host number is refused later.
                    req.HostNo = uint.MaxValue;
                    break;
                case 'H':
                    if (!TgtNumber.TryParseInt(arg, 0, out var host, out bad)) { exit = BadArgument(bad, 'H', arg); return null; }
                    req.HostNo = (uint)host;
                    break;
                case 'F': req.Force = true; break;
                case 'f': req.BsOFlags = arg; break;
                case 'y': req.BlockSize = arg; break;
                case 'E': req.BsType = arg; break;
                case 'S': req.BsOpts = arg; break;
                case 'Y':
                    if (DeviceTypeOf(arg) is not { } type) { exit = TgtadmOutcome.Fail(TgtadmOutcome.Einval, $"unknown target type: {arg}"); return null; }
                    req.DeviceType = type;
                    break;
                case 'O': req.Outgoing = true; break;
                case 'C':
                    if (!TgtNumber.TryParseInt(arg, 0, out var port, out bad) || port > short.MaxValue) { exit = BadArgument(bad == 0 ? 34 : bad, 'C', arg); return null; }
                    req.ControlPort = port;
                    break;
                case 'V': exit = TgtadmOutcome.Ok(TgtadmUsage.Version + "\n"); return null;
                case 'd': break; // tgtadm's own debug trace of the request: nothing to trace here
                case 'h': exit = TgtadmOutcome.Ok(TgtadmUsage.Help); return null;
            }
        }
        if (getopt.Operands.Count > 0)
        {
            exit = new TgtadmOutcome(TgtadmOutcome.Einval, "", $"tgtadm: unrecognized option '{getopt.Operands[0]}'\n{TgtadmUsage.TryHelp}");
            return null;
        }
        if (op < 0) { exit = TgtadmOutcome.Fail(TgtadmOutcome.Einval, "specify the operation type"); return null; }
        if (mode < 0) { exit = TgtadmOutcome.Fail(TgtadmOutcome.Einval, "specify the mode"); return null; }
        req.Op = (TgtadmOp)op;
        req.Mode = (TgtadmMode)mode;
        var error = TgtadmModeChecks.Check(req, opName!, seen);
        if (error is not null)
        {
            exit = TgtadmOutcome.Fail(TgtadmOutcome.Einval, error);
            return null;
        }
        if (req.Mode == TgtadmMode.Account && req.Op is TgtadmOp.Bind or TgtadmOp.Unbind && req.Tid == -1)
            req.Tid = TgtadmRequest.GlobalTid;
        return req;
    }

    /// <summary>usr/tgtadm.c bad_optarg: no "tgtadm: " prefix, then usage(1).</summary>
    private static TgtadmOutcome BadArgument(int errno, char option, string arg)
        => new(TgtadmOutcome.Einval, "",
            $"-{option} argument value '{arg}' {(errno == TgtNumber.Erange ? "out of range" : "invalid")}\n{TgtadmUsage.TryHelp}");

    private static int OpOf(string s) => s switch
    {
        "new" => (int)TgtadmOp.New,
        "delete" => (int)TgtadmOp.Delete,
        "bind" => (int)TgtadmOp.Bind,
        "unbind" => (int)TgtadmOp.Unbind,
        "show" => (int)TgtadmOp.Show,
        "update" => (int)TgtadmOp.Update,
        "stat" => (int)TgtadmOp.Stats,
        "start" => (int)TgtadmOp.Start,
        "stop" => (int)TgtadmOp.Stop,
        _ => -1,
    };

    private static int ModeOf(string s) => s switch
    {
        "system" or "sys" => (int)TgtadmMode.System,
        "target" or "tgt" => (int)TgtadmMode.Target,
        "logicalunit" or "lu" => (int)TgtadmMode.Device,
        "portal" or "pt" => (int)TgtadmMode.Portal,
        "session" or "sess" => (int)TgtadmMode.Session,
        "connection" or "conn" => (int)TgtadmMode.Connection,
        "account" => (int)TgtadmMode.Account,
        "lld" => (int)TgtadmMode.Lld,
        _ => -1,
    };

    private static TgtDeviceType? DeviceTypeOf(string s) => s switch
    {
        "disk" => TgtDeviceType.Disk,
        "tape" or "ssc" => TgtDeviceType.Tape,
        "cd" => TgtDeviceType.Mmc,
        "changer" => TgtDeviceType.MediumChanger,
        "osd" => TgtDeviceType.Osd,
        "pt" => TgtDeviceType.PassThrough,
        _ => null,
    };
}
