namespace SharpSan.Tgt.Admin;

/// <summary>
/// tgt-admin's command line as Perl's Getopt::Long reads it there (no_ignore_case): long names with
/// "-" or "--", unique abbreviations, "--opt=value" or "--opt value", the one-letter aliases; an
/// unknown or incomplete option is reported ("Unknown option: x") and skipped, as tgt-admin goes on
/// regardless; words that are not options are ignored.
/// </summary>
internal sealed class TgtAdminOptions
{
    public bool Execute { get; private set; }
    public string? Delete { get; private set; }
    public string? Offline { get; private set; }
    public string? Ready { get; private set; }
    public string? Update { get; private set; }
    public bool Show { get; private set; }
    public string? Conf { get; private set; }
    public bool IgnoreErrors { get; set; }
    public bool Force { get; private set; }
    public bool Pretend { get; private set; }
    public bool Dump { get; private set; }
    public bool Verbose { get; private set; }
    public bool Help { get; private set; }
    public string ControlPort { get; set; } = "0";
    /// <summary>tgt-admin looks at its first argument before parsing: none means usage.</summary>
    public bool NoArguments { get; private set; }
    /// <summary>Getopt::Long's warnings, printed on stderr.</summary>
    public List<string> Warnings { get; } = new();

    private sealed record Spec(string[] Names, bool TakesValue, Action<TgtAdminOptions, string> Set);

    private static readonly Spec[] Specs =
    [
        new(["e", "execute"], false, (o, _) => o.Execute = true),
        new(["delete"], true, (o, v) => o.Delete = v),
        new(["offline"], true, (o, v) => o.Offline = v),
        new(["ready"], true, (o, v) => o.Ready = v),
        new(["update"], true, (o, v) => o.Update = v),
        new(["s", "show"], false, (o, _) => o.Show = true),
        new(["c", "conf"], true, (o, v) => o.Conf = v),
        new(["ignore-errors"], false, (o, _) => o.IgnoreErrors = true),
        new(["f", "force"], false, (o, _) => o.Force = true),
        new(["p", "pretend"], false, (o, _) => o.Pretend = true),
        new(["dump"], false, (o, _) => o.Dump = true),
        new(["v", "verbose"], false, (o, _) => o.Verbose = true),
        new(["h", "help"], false, (o, _) => o.Help = true),
        new(["C", "control-port"], true, (o, v) => o.ControlPort = v),
    ];

    public static TgtAdminOptions Parse(IReadOnlyList<string> args)
    {
        var o = new TgtAdminOptions { NoArguments = args.Count == 0 };
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--") break;
            if (arg.Length < 2 || arg[0] != '-') continue; // permute: not an option
            var text = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            var eq = text.IndexOf('=');
            var name = eq < 0 ? text : text[..eq];
            var spec = Find(o, name);
            if (spec is null) continue;
            if (!spec.TakesValue)
            {
                if (eq >= 0) { o.Warnings.Add($"Option {spec.Names[^1]} does not take an argument"); continue; }
                spec.Set(o, "");
                continue;
            }
            string? value = eq >= 0 ? text[(eq + 1)..] : i + 1 < args.Count ? args[++i] : null;
            if (value is null) { o.Warnings.Add($"Option {spec.Names[^1]} requires an argument"); continue; }
            spec.Set(o, value);
        }
        return o;
    }

    private static Spec? Find(TgtAdminOptions o, string name)
    {
        var exact = Specs.FirstOrDefault(s => s.Names.Contains(name));
        if (exact is not null) return exact;
        var matches = Specs.SelectMany(s => s.Names.Where(n => n.Length > 1 && n.StartsWith(name, StringComparison.Ordinal)).Select(n => (s, n))).ToList();
        if (matches.Count == 1 && name.Length > 0) return matches[0].s;
        if (matches.Count > 1 && name.Length > 0)
        {
            o.Warnings.Add($"Option {name} is ambiguous ({string.Join(", ", matches.Select(m => m.n).Order(StringComparer.Ordinal))})");
            return null;
        }
        o.Warnings.Add($"Unknown option: {name}");
        return null;
    }
}
