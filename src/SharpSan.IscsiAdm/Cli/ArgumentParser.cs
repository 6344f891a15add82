using System.Globalization;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Cli;

/// <summary>The outcome of parsing: options, or the exit code after the error lines were written.</summary>
public sealed record ParseResult(IscsiAdmOptions Options, int? ExitCode);

/// <summary>
/// getopt_long over iscsiadm's option table (usr/iscsiadm.c short_options/long_options): clustered
/// short options ("-lS"), attached or separate arguments ("-mnode", "-m node"), "--long=value",
/// unique long prefixes ("--targ"), "--" ends options, and the per-mode allowed option check
/// (verify_mode_params) with open-iscsi's messages and exit code 7.
/// </summary>
public static class ArgumentParser
{
    private const string ShortOptions = "RlDVhm:a:b:c:C:p:P:T:H:i:I:U:k:L:d:r:n:v:o:sSt:ux:A:W";

    private static readonly (string Name, bool HasArgument, char Short)[] LongOptions =
    [
        ("mode", true, 'm'), ("portal", true, 'p'), ("targetname", true, 'T'), ("interface", true, 'I'),
        ("op", true, 'o'), ("type", true, 't'), ("name", true, 'n'), ("value", true, 'v'),
        ("host", true, 'H'), ("sid", true, 'r'), ("rescan", false, 'R'), ("print", true, 'P'),
        ("discover", false, 'D'), ("login", false, 'l'), ("loginall", true, 'L'), ("logout", false, 'u'),
        ("logoutall", true, 'U'), ("stats", false, 's'), ("killiscsid", true, 'k'), ("debug", true, 'd'),
        ("show", false, 'S'), ("version", false, 'V'), ("help", false, 'h'), ("submode", true, 'C'),
        ("ip", true, 'a'), ("packetsize", true, 'b'), ("count", true, 'c'), ("interval", true, 'i'),
        ("index", true, 'x'), ("portal_type", true, 'A'), ("no_wait", false, 'W'),
    ];

    /// <summary>verify_mode_params' table: the options each mode accepts.</summary>
    private static readonly Dictionary<IscsiAdmMode, string> Allowed = new()
    {
        [IscsiAdmMode.Discovery] = "DSIPdmntplov",
        [IscsiAdmMode.DiscoveryDb] = "DSIPdmntplov",
        [IscsiAdmMode.Node] = "RsPIdmlSonvupTULW",
        [IscsiAdmMode.Session] = "PiRdrmusonuSv",
        [IscsiAdmMode.Host] = "CHdmPotnvxA",
        [IscsiAdmMode.Iface] = "HIdnvmPoCabci",
        [IscsiAdmMode.Fw] = "dmlWnv",
    };

    public static string ModeName(IscsiAdmMode mode) => mode switch
    {
        IscsiAdmMode.Discovery or IscsiAdmMode.DiscoveryDb => "discovery",
        IscsiAdmMode.Node => "node",
        IscsiAdmMode.Session => "session",
        IscsiAdmMode.Host => "host",
        IscsiAdmMode.Iface => "iface",
        _ => "fw",
    };

    private static IscsiAdmMode? ParseMode(string text) => text switch
    {
        "discovery" => IscsiAdmMode.Discovery,
        "discoverydb" => IscsiAdmMode.DiscoveryDb,
        "node" => IscsiAdmMode.Node,
        "session" => IscsiAdmMode.Session,
        "iface" => IscsiAdmMode.Iface,
        "fw" => IscsiAdmMode.Fw,
        "host" => IscsiAdmMode.Host,
        _ => null,
    };

    private static NodeOperation ParseOperation(string text) => text switch
    {
        "new" => NodeOperation.New,
        "delete" => NodeOperation.Delete,
        "update" => NodeOperation.Update,
        "show" => NodeOperation.Show,
        "nonpersistent" => NodeOperation.NonPersistent,
        "apply" => NodeOperation.Apply,
        "applyall" => NodeOperation.ApplyAll,
        "login" => NodeOperation.Login,
        "logout" => NodeOperation.Logout,
        _ => NodeOperation.None,
    };

    /// <summary>Parses <paramref name="args"/>; error lines go to <paramref name="stderr"/> as "iscsiadm: ...".</summary>
    public static ParseResult Parse(IReadOnlyList<string> args, TextWriter stderr)
    {
        var options = new IscsiAdmOptions();
        var tokens = Tokenize(args, stderr, out var getoptFailed, out var failedShort);
        string? pendingName = null;
        string? pendingValue = null;
        foreach (var (ch, arg) in tokens)
        {
            switch (ch)
            {
                case 'k':
                    options.KillIscsid = Atoi(arg!);
                    if (options.KillIscsid < 0)
                    {
                        stderr.Write($"iscsiadm: Invalid killiscsid priority {options.KillIscsid} Priority must be greater than or equal to zero.\n");
                        return Fail(options, IscsiError.InvalidArgument);
                    }
                    break;
                case 't': options.DiscoveryType = arg; break;
                case 'o':
                    options.Operations |= ParseOperation(arg!);
                    if (options.Operations == NodeOperation.None)
                    {
                        stderr.Write($"iscsiadm: can not recognize operation: '{arg}'\n");
                        return Fail(options, IscsiError.InvalidArgument);
                    }
                    break;
                case 'n': pendingName = arg; break;
                case 'v': pendingValue = arg; break;
                case 'H': options.Host = arg; break;
                case 'r':
                    var sid = ParseSid(arg!);
                    if (sid is null)
                    {
                        stderr.Write($"iscsiadm: {arg} is an invalid session ID or path\n");
                        return Fail(options, IscsiError.Generic);
                    }
                    options.Sid = sid.Value;
                    break;
                case 'R': options.Rescan = true; break;
                case 'P': options.PrintLevel = Atoi(arg!); break;
                case 'D': options.Discover = true; break;
                case 'l': options.Login = true; break;
                case 'u': options.Logout = true; break;
                case 'U': options.LogoutAll = arg; break;
                case 'L': options.LoginAll = arg; break;
                case 's': options.Stats = true; break;
                case 'S': options.ShowSecrets = true; break;
                case 'd': options.DebugLevel = Atoi(arg!); break;
                case 'm':
                    var mode = ParseMode(arg!);
                    if (mode is null)
                    {
                        stderr.Write("iscsiadm: mode -1 is not yet supported\n");
                        return Fail(options, IscsiError.InvalidArgument);
                    }
                    options.Mode = mode;
                    var allowed = Allowed[mode.Value];
                    foreach (var (other, _) in tokens)
                    {
                        if (allowed.Contains(other) || (other == 'm' && mode == IscsiAdmMode.Session))
                            continue;
                        stderr.Write($"iscsiadm: {ModeName(mode.Value)} mode: option '-{other}' is not allowed/supported\n");
                        return Fail(options, IscsiError.InvalidArgument);
                    }
                    break;
                case 'C': options.SubMode = arg; break;
                case 'T': options.TargetName = arg; break;
                case 'p':
                    var (address, port, tpgt) = Portal.Parse(arg!);
                    options.PortalAddress = address;
                    options.Port = port;
                    options.Tpgt = tpgt;
                    break;
                case 'a': options.PortalAddress = arg; break;
                case 'I':
                    if (arg!.Length == 0 || arg.Length > 64)
                    {
                        stderr.Write($"Invalid iface name {arg}. Must be from 1 to 64 characters.\n");
                        return Fail(options, IscsiError.InvalidArgument);
                    }
                    options.Ifaces.Add(arg);
                    break;
                case 'V': options.Version = true; return new ParseResult(options, null);
                case 'W': options.NoWait = true; break;
                case 'h': options.Help = true; return new ParseResult(options, null);
                default: break; // -b -c -i -x -A: ping/host options, accepted and unused
            }
            if (pendingName is not null && pendingValue is not null)
            {
                options.Parameters.Add(new(pendingName, pendingValue));
                pendingName = null;
                pendingValue = null;
            }
        }
        if (getoptFailed)
        {
            if (failedShort is char c)
            {
                stderr.Write($"iscsiadm: unrecognized character '{c}'\n");
                return Fail(options, IscsiError.InvalidArgument);
            }
            if (options.Mode is null)
            {
                stderr.Write("Try `iscsiadm --help' for more information.\n");
                return Fail(options, IscsiError.InvalidArgument);
            }
        }
        return new ParseResult(options, null);
    }

    private static ParseResult Fail(IscsiAdmOptions options, IscsiError error) => new(options, (int)error);

    /// <summary>atoi: leading number, 0 when none.</summary>
    internal static int Atoi(string text) => Record.ParseInt(text);

    private static int? ParseSid(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var sid) && sid > 0)
            return sid;
        // a sysfs path such as /sys/class/iscsi_session/session3 or .../session3/device
        var at = text.LastIndexOf("session", StringComparison.Ordinal);
        while (at >= 0)
        {
            var digits = new string(text[(at + 7)..].TakeWhile(char.IsAsciiDigit).ToArray());
            if (digits.Length > 0 && Directory.Exists(text))
                return int.Parse(digits, CultureInfo.InvariantCulture);
            at = at == 0 ? -1 : text.LastIndexOf("session", at - 1, StringComparison.Ordinal);
        }
        return null;
    }

    /// <summary>
    /// getopt_long's scan: yields (option character, argument) in order; '?' for errors, which are
    /// reported with glibc's wording.
    /// </summary>
    private static List<(char Option, string? Argument)> Tokenize(IReadOnlyList<string> args, TextWriter stderr, out bool failed, out char? failedShort)
    {
        var list = new List<(char, string?)>();
        failed = false;
        failedShort = null;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a == "--")
                break;
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var body = a[2..];
                string? inline = null;
                var eq = body.IndexOf('=');
                if (eq >= 0)
                {
                    inline = body[(eq + 1)..];
                    body = body[..eq];
                }
                var exact = LongOptions.Where(o => o.Name == body).ToList();
                var matches = exact.Count > 0 ? exact : LongOptions.Where(o => o.Name.StartsWith(body, StringComparison.Ordinal)).ToList();
                if (matches.Count == 0)
                {
                    stderr.Write($"iscsiadm: unrecognized option '--{body}'\n");
                    failed = true;
                    list.Add(('?', null));
                    continue;
                }
                if (matches.Count > 1)
                {
                    stderr.Write($"iscsiadm: option '--{body}' is ambiguous; possibilities:{string.Concat(matches.Select(m => $" '--{m.Name}'"))}\n");
                    failed = true;
                    list.Add(('?', null));
                    continue;
                }
                var opt = matches[0];
                if (!opt.HasArgument)
                {
                    if (inline is not null)
                    {
                        stderr.Write($"iscsiadm: option '--{opt.Name}' doesn't allow an argument\n");
                        failed = true;
                        list.Add(('?', null));
                        continue;
                    }
                    list.Add((opt.Short, null));
                    continue;
                }
                if (inline is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        stderr.Write($"iscsiadm: option '--{opt.Name}' requires an argument\n");
                        failed = true;
                        list.Add(('?', null));
                        continue;
                    }
                    inline = args[++i];
                }
                list.Add((opt.Short, inline));
                continue;
            }
            if (a.Length < 2 || a[0] != '-')
                continue; // operands are ignored, as iscsiadm does
            for (var j = 1; j < a.Length; j++)
            {
                var c = a[j];
                var at = c == ':' ? -1 : ShortOptions.IndexOf(c);
                if (at < 0)
                {
                    stderr.Write($"iscsiadm: invalid option -- '{c}'\n");
                    failed = true;
                    failedShort ??= c;
                    list.Add(('?', null));
                    continue;
                }
                var takesArgument = at + 1 < ShortOptions.Length && ShortOptions[at + 1] == ':';
                if (!takesArgument)
                {
                    list.Add((c, null));
                    continue;
                }
                string? value;
                if (j + 1 < a.Length)
                    value = a[(j + 1)..];
                else if (i + 1 < args.Count)
                    value = args[++i];
                else
                {
                    stderr.Write($"iscsiadm: option requires an argument -- '{c}'\n");
                    failed = true;
                    failedShort ??= c;
                    list.Add(('?', null));
                    break;
                }
                list.Add((c, value));
                break;
            }
        }
        return list;
    }
}
