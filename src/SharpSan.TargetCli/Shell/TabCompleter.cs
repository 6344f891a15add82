using System.Globalization;
using SharpSan.Control;
using SharpSan.TargetCli.Editing;
using SharpSan.TargetCli.Tree;

namespace SharpSan.TargetCli.Shell;

/// <summary>Tab completion of paths, commands, parameter names (key=) and values, after configshell.</summary>
internal sealed class TabCompleter(TargetCliShell shell, CommandTable commands)
{
    private Prefs Prefs => shell.Prefs;

    /// <summary>Completes the word under the cursor; never throws (no candidates instead).</summary>
    public async Task<Completion> CompleteAsync(string line, int cursor)
    {
        try
        {
            var (tree, _) = await shell.LoadTreeAsync(CancellationToken.None).ConfigureAwait(false);
            return Complete(shell.Current(tree), line[..Math.Min(cursor, line.Length)]);
        }
        catch (Exception ex) when (ex is ControlException or CliException or IOException)
        {
            return Completion.None;
        }
    }

    private Completion Complete(TreeNode current, string line)
    {
        var tokens = CommandLine.Split(line);
        var atNewWord = line.Length == 0 || char.IsWhiteSpace(line[^1]);
        var text = atNewWord ? "" : tokens[^1].Text;
        var start = line.Length - text.Length;
        var before = atNewWord ? tokens : tokens.Take(tokens.Count - 1).ToList();

        List<string> candidates;
        if (before.Count == 0)
        {
            candidates = CommandLine.LooksLikePath(text) && text != "*"
                ? CompletePath(current, text)
                : CompleteCommandOrPath(current, current, text, withPaths: true);
        }
        else if (before.Count == 1 && CommandLine.LooksLikePath(before[0].Text))
        {
            var target = TryResolve(current, before[0].Text);
            candidates = target is null ? [] : CompleteCommandOrPath(current, target, text, withPaths: false);
        }
        else
            candidates = CompleteParameter(current, before, text);
        return new Completion(start, candidates);
    }

    private List<string> CompleteCommandOrPath(TreeNode current, TreeNode target, string text, bool withPaths)
    {
        var result = Single(commands.For(target).Select(c => c.Name).Where(n => n.StartsWith(text, StringComparison.Ordinal)).ToList());
        if (withPaths)
        {
            var paths = current.Children.Where(c => c.Name.StartsWith(text, StringComparison.Ordinal)).Select(c => c.Name + "/").ToList();
            if (text.Length == 0)
                paths.Add("/");
            result.AddRange(paths);
            result.AddRange(Prefs.Bookmarks.Keys.Where(b => b.StartsWith(text.TrimStart('@'), StringComparison.Ordinal)).Select(b => "@" + b));
            // A lone child without children is complete; the slash stays, it is what makes the word a path.
            if (result.Count == 1 && paths.Count == 1 && paths[0] != "/" && current.Resolve(paths[0]).Children.Count == 0)
                result[0] += " ";
        }
        return result;
    }

    /// <summary>configshell's path completion: children of the folder part that start with the rest.</summary>
    private List<string> CompletePath(TreeNode current, string text)
    {
        if (text.StartsWith('@'))
            return Prefs.Bookmarks.Keys.Where(b => ("@" + b).StartsWith(text, StringComparison.Ordinal)).Select(b => "@" + b).ToList();
        if (text.EndsWith('.'))
            text += "/";
        var cut = text.LastIndexOf('/');
        var folder = text[..(cut + 1)];
        var partial = text[(cut + 1)..];
        var dir = TryResolve(current, folder.Length == 0 ? "." : folder);
        if (dir is null)
            return [];
        var result = dir.Children.Where(c => c.Name.StartsWith(partial, StringComparison.Ordinal)).Select(c => folder + c.Name + "/").ToList();
        return FinishSingle(current, result);
    }

    /// <summary>A single path candidate without children is complete: "name " instead of "name/".</summary>
    private List<string> FinishSingle(TreeNode current, List<string> result)
    {
        if (result.Count == 1 && result[0].EndsWith('/') && result[0] != "/")
        {
            var node = TryResolve(current, result[0]);
            if (node is not null && node.Children.Count == 0)
                result[0] = result[0].TrimEnd('/') + " ";
        }
        return result;
    }

    private List<string> CompleteParameter(TreeNode current, List<Token> before, string text)
    {
        var lineText = string.Join(' ', before.Select(t => t.Text)) + " x";
        var parsed = CommandLine.Parse(lineText);
        var target = TryResolve(current, parsed.PathText.Length == 0 ? "." : parsed.PathText.TrimEnd('*'));
        if (target is null || parsed.Command is null)
            return [];
        var spec = commands.For(target).FirstOrDefault(c => c.Name == parsed.CommandText);
        if (spec is null)
            return [];
        var positional = parsed.Positional.Take(parsed.Positional.Count - 1).Select(t => t.Text).ToList();
        var given = parsed.Keyword.Select(k => k.Key).ToHashSet();
        var known = new Dictionary<string, string>();
        for (var i = 0; i < positional.Count && i < spec.Params.Length; i++)
            known[spec.Params[i]] = positional[i];
        foreach (var (k, v, _) in parsed.Keyword)
            known[k] = v;

        var eq = text.IndexOf('=');
        if (eq > 0)
        {
            var key = text[..eq];
            var values = Values(current, target, spec, key, text[(eq + 1)..], known);
            return values.Select(v => $"{key}={v}").ToList();
        }

        var result = new List<string>();
        if (spec.Name == "set" && known.TryGetValue("group", out var setGroup))
        {
            result.AddRange(ConfigGroups.Params(target, setGroup).Where(p => p.Writable && !given.Contains(p.Name))
                .Select(p => p.Name + "=").Where(p => p.StartsWith(text, StringComparison.Ordinal)));
            return result;
        }
        if (spec.Name == "get" && known.TryGetValue("group", out var getGroup))
        {
            result.AddRange(ConfigGroups.Params(target, getGroup).Select(p => p.Name)
                .Where(p => p.StartsWith(text, StringComparison.Ordinal) && !positional.Contains(p)));
            return Single(result);
        }
        var index = positional.Count;
        if (index < spec.Params.Length && !given.Contains(spec.Params[index]))
            result.AddRange(Values(current, target, spec, spec.Params[index], text, known));
        if (result.Count == 1 && !result[0].EndsWith('/'))
            result[0] = result[0].TrimEnd(' ') + " ";
        result.AddRange(spec.Params.Skip(index).Where(p => !given.Contains(p) && p.StartsWith(text, StringComparison.Ordinal)).Select(p => p + "="));
        return result;
    }

    private static List<string> Single(List<string> result)
    {
        if (result.Count == 1)
            result[0] += " ";
        return result;
    }

    /// <summary>Values a parameter may take, filtered by what was typed.</summary>
    private List<string> Values(TreeNode current, TreeNode target, CommandSpec spec, string param, string text, Dictionary<string, string> known)
    {
        IEnumerable<string> values = (spec.Name, param) switch
        {
            ("cd" or "ls", "path") => CompletePath(current, text),
            ("ls", "depth") => Enumerable.Range(0, 10).Select(i => text + i),
            ("help", "topic") => commands.For(target).Select(c => c.Name),
            ("bookmarks", "action") => ["add", "del", "go", "show"],
            ("bookmarks", "bookmark") => Prefs.Bookmarks.Keys,
            ("sessions", "action") => ["list", "detail"],
            ("set" or "get", "group") => ConfigGroups.For(target),
            ("create", "storage_object") or ("create", "tpg_lun_or_backstore") => StorageObjectPaths(current)
                .Concat(param == "tpg_lun_or_backstore" ? target.Tpg!.Luns.Select(l => $"lun{l.Index}") : []),
            ("delete", "name") => target.Children.Select(c => c.Name),
            ("delete", "wwn") when target.Kind == NodeKind.Iscsi => target.Children.Select(c => c.Name),
            ("delete", "wwn") => target.Tpg?.NodeAcls.Select(a => a.NodeWwn) ?? [],
            ("delete", "lun") => target.Tpg!.Luns.Select(l => l.Index.ToString(CultureInfo.InvariantCulture)),
            ("delete", "mapped_lun") => target.Acl!.MappedLuns.Select(m => m.Index.ToString(CultureInfo.InvariantCulture)),
            ("delete", "tag") => target.Target!.Tpgs.Select(g => g.Tag.ToString(CultureInfo.InvariantCulture)),
            ("delete", "ip_address") => target.Tpg!.Portals.Where(p => !known.TryGetValue("ip_port", out var port) || p.Port.ToString() == port).Select(p => p.IpAddress).Distinct(),
            ("delete", "ip_port") => target.Tpg!.Portals.Where(p => !known.TryGetValue("ip_address", out var ip) || p.IpAddress == ip.Trim('[', ']')).Select(p => p.Port.ToString(CultureInfo.InvariantCulture)).Distinct(),
            (_, "add_mapped_luns" or "write_back" or "sparse" or "readonly" or "nullio" or "clear_existing" or "confirm") => ["true", "false"],
            (_, "file_or_dev" or "dev" or "savefile") => FileNames(text),
            _ => [],
        };
        return values.Where(v => v.StartsWith(text, StringComparison.Ordinal)).Distinct().ToList();
    }

    private static IEnumerable<string> StorageObjectPaths(TreeNode current)
        => current.Root.Resolve("/backstores").Children.SelectMany(b => b.Children).Select(s => s.Path);

    private IEnumerable<string> FileNames(string text)
    {
        if (text.Length == 0)
            return [];
        try
        {
            var cut = text.LastIndexOf('/');
            var folder = cut >= 0 ? text[..(cut + 1)] : "";
            var dir = shell.FullPath(folder.Length == 0 ? "." : folder);
            return Directory.EnumerateFileSystemEntries(dir)
                .Select(e => folder + Path.GetFileName(e) + (Directory.Exists(e) ? "/" : ""))
                .Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return [];
        }
    }

    private TreeNode? TryResolve(TreeNode current, string path)
    {
        try { return path.StartsWith('@') ? shell.ResolveFrom(current.Root, path) : current.Resolve(path); }
        catch (CliException) { return null; }
    }
}
