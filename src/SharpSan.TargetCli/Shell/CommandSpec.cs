namespace SharpSan.TargetCli.Shell;

/// <summary>
/// A command as configshell sees a ui_command_* method: its parameter names (the first
/// <see cref="Required"/> mandatory), whether it takes extra positional (get) or keyword (set)
/// parameters, its handler and help text.
/// </summary>
internal sealed record CommandSpec(
    string Name,
    string[] Params,
    int Required,
    Func<CommandContext, Task> Run,
    string Description,
    bool ExtraPositional = false,
    bool ExtraKeyword = false,
    bool Mutates = false)
{
    public string Syntax
    {
        get
        {
            var parts = new List<string> { Name };
            for (var i = 0; i < Params.Length; i++)
                parts.Add(i < Required ? Params[i] : $"[{Params[i]}]");
            if (ExtraPositional) parts.Add("...");
            if (ExtraKeyword) parts.Add("[key=value...]");
            return string.Join(' ', parts);
        }
    }

    /// <summary>configshell's assert_params, with its messages, then the bound values by name.</summary>
    public (Dictionary<string, string> Args, List<string> ExtraPos, List<(string Key, string Value)> ExtraKw) Bind(CommandLine line)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal);
        var extraPos = new List<string>();
        var extraKw = new List<(string, string)>();

        var unexpected = line.Keyword.Select(k => k.Key).Where(k => !Params.Contains(k)).Distinct().OrderBy(k => k, StringComparer.Ordinal).ToList();
        var missing = Params.Take(Required).Skip(line.Positional.Count)
            .Where(p => line.Keyword.All(k => k.Key != p)).OrderBy(p => p, StringComparer.Ordinal).ToList();
        if (missing.Count == 1)
            throw new CliException($"Missing required parameter {missing[0]}");
        if (missing.Count > 1)
            throw new CliException($"Missing required parameters {string.Join(", ", missing.Select(m => $"'{m}'"))}");
        if (!ExtraKeyword && unexpected.Count == 1)
            throw new CliException($"Unexpected keyword parameter '{unexpected[0]}'.");
        if (!ExtraKeyword && unexpected.Count > 1)
            throw new CliException($"Unexpected keyword parameters {string.Join(", ", unexpected.Select(u => $"'{u}'"))}.");

        var all = Params.Take(line.Positional.Count).Concat(line.Keyword.Select(k => k.Key)).ToList();
        foreach (var name in all)
            if (all.Count(n => n == name) > 1)
                throw new CliException($"Duplicate parameter {name}.");

        var standard = line.Positional.Count + line.Keyword.Count(k => Params.Contains(k.Key));
        if (!ExtraPositional && Required == Params.Length && standard != Required)
            throw new CliException($"Got {standard} positionnal parameters, expected exactly {Required}.");
        if (!ExtraPositional && standard > Params.Length)
            throw new CliException($"Got {standard} positionnal parameters, expected at most {Params.Length}.");

        for (var i = 0; i < line.Positional.Count; i++)
        {
            if (i < Params.Length)
                args[Params[i]] = line.Positional[i].Text;
            else
                extraPos.Add(line.Positional[i].Text);
        }
        foreach (var (key, value, _) in line.Keyword)
        {
            if (Params.Contains(key))
                args[key] = value;
            else
                extraKw.Add((key, value));
        }
        return (args, extraPos, extraKw);
    }
}
