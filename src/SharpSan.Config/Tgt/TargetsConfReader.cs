namespace SharpSan.Config.Tgt;

/// <summary>
/// Reads /etc/tgt/targets.conf as tgt-admin's parser does (Perl Config::General with
/// -UseApacheInclude, -IncludeGlob, -IncludeDirectories, -MergeDuplicateBlocks): "key value" or
/// "key = value" lines, '#' comments ("\#" for a literal '#'), a trailing '\' continuing a line,
/// &lt;target NAME&gt; blocks holding options and &lt;backing-store PATH&gt; / &lt;direct-store PATH&gt;
/// blocks, "include GLOB" anywhere (relative to the including file; a directory includes its files).
/// Any error is a <see cref="ConfigException"/> whose message is one line: "FILE:LINE: reason".
/// </summary>
public static class TargetsConfReader
{
    private const int MaxIncludeDepth = 16;

    public static TargetsConfDocument Read(string path)
    {
        var doc = new TargetsConfDocument();
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new ConfigException(path, "", "no such file");
        var state = new ParseState(doc);
        ReadFile(full, path, state, depth: 0);
        if (state.Target is { } open)
            throw Error(open.File, open.Line, $"<target {open.Name}> is not closed");
        Check(doc);
        return doc;
    }

    /// <summary>Parses text as if it were the file <paramref name="name"/> (tests, stdin).</summary>
    public static TargetsConfDocument Parse(string text, string name)
    {
        var doc = new TargetsConfDocument();
        var state = new ParseState(doc);
        ReadLines(text, name, Path.GetDirectoryName(Path.GetFullPath(name)) ?? "/", state, 0);
        if (state.Target is { } open)
            throw Error(open.File, open.Line, $"<target {open.Name}> is not closed");
        Check(doc);
        return doc;
    }

    private sealed class ParseState(TargetsConfDocument doc)
    {
        public TargetsConfDocument Doc { get; } = doc;
        public TargetsConfTarget? Target { get; set; }
        public TargetsConfStore? Store { get; set; }
        public HashSet<string> Reading { get; } = new(StringComparer.Ordinal);
    }

    private static void ReadFile(string full, string shown, ParseState state, int depth)
    {
        if (!state.Reading.Add(full))
            throw new ConfigException(shown, "", "includes itself");
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException(shown, "", ex.Message, ex);
        }
        ReadLines(text, shown, Path.GetDirectoryName(full)!, state, depth);
        state.Reading.Remove(full);
    }

    private static void ReadLines(string text, string file, string dir, ParseState state, int depth)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNo = i + 1;
            var line = StripComment(lines[i]);
            // A trailing backslash continues the line (Config::General).
            while (line.EndsWith('\\') && i + 1 < lines.Length)
                line = line[..^1] + StripComment(lines[++i]).TrimStart();
            line = line.Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith("</", StringComparison.Ordinal))
                Close(line, file, lineNo, state);
            else if (line.StartsWith('<'))
                Open(line, file, lineNo, state);
            else
                Option(line, file, lineNo, dir, state, depth);
        }
        if (state.Store is { } store && store.File == file)
            throw Error(store.File, store.Line, $"<{(store.Direct ? "direct-store" : "backing-store")} {store.Path}> is not closed");
    }

    /// <summary>An unescaped '#' starts a comment; "\#" is a literal '#'.</summary>
    private static string StripComment(string line)
    {
        var sb = new System.Text.StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] == '#') { sb.Append('#'); i++; continue; }
            if (line[i] == '#') break;
            sb.Append(line[i]);
        }
        return sb.ToString();
    }

    private static void Open(string line, string file, int lineNo, ParseState state)
    {
        if (!line.EndsWith('>'))
            throw Error(file, lineNo, $"\"{line}\": a block line ends with '>'");
        var inner = line[1..^1].Trim();
        var space = inner.IndexOfAny([' ', '\t']);
        var kind = space < 0 ? inner : inner[..space];
        var name = Unquote(space < 0 ? "" : inner[(space + 1)..].Trim());
        if (kind == "target")
        {
            if (state.Target is not null)
                throw Error(file, lineNo, $"<target {name}> inside <target {state.Target.Name}>");
            if (name.Length == 0)
                throw Error(file, lineNo, "<target> needs the target's name");
            // Blocks for the same target merge into one (-MergeDuplicateBlocks).
            var existing = state.Doc.Targets.FirstOrDefault(t => t.Name == name);
            if (existing is null)
            {
                existing = new TargetsConfTarget { Name = name, File = file, Line = lineNo };
                state.Doc.Targets.Add(existing);
            }
            state.Target = existing;
            return;
        }
        if (kind is "backing-store" or "direct-store")
        {
            if (state.Target is null)
                throw Error(file, lineNo, $"<{kind}> outside a <target> block");
            if (state.Store is not null)
                throw Error(file, lineNo, $"<{kind}> inside <{(state.Store.Direct ? "direct-store" : "backing-store")} {state.Store.Path}>");
            if (name.Length == 0)
                throw Error(file, lineNo, $"<{kind}> needs a path");
            var store = state.Target.Stores.FirstOrDefault(s => s.Path == name && s.Direct == (kind == "direct-store"));
            if (store is null)
            {
                store = new TargetsConfStore { Path = name, Direct = kind == "direct-store", File = file, Line = lineNo };
                state.Target.Stores.Add(store);
            }
            state.Store = store;
            return;
        }
        throw Error(file, lineNo, $"unknown block <{kind}> (tgt-admin knows <target>, <backing-store>, <direct-store>)");
    }

    private static void Close(string line, string file, int lineNo, ParseState state)
    {
        var kind = line[2..].TrimEnd('>').Trim();
        if (state.Store is { } store && kind == (store.Direct ? "direct-store" : "backing-store"))
            state.Store = null;
        else if (state.Store is null && state.Target is not null && kind == "target")
            state.Target = null;
        else
            throw Error(file, lineNo, $"</{kind}> does not close an open block");
    }

    private static void Option(string line, string file, int lineNo, string dir, ParseState state, int depth)
    {
        // Config::General: key, then '=' or blanks, then the value (the rest of the line).
        var cut = line.IndexOfAny([' ', '\t', '=']);
        var key = cut < 0 ? line : line[..cut];
        var value = cut < 0 ? "" : line[cut..].TrimStart(' ', '\t');
        if (value.StartsWith('=')) value = value[1..].TrimStart(' ', '\t');
        value = Unquote(value);
        if (key.Equals("include", StringComparison.OrdinalIgnoreCase))
        {
            Include(value, file, lineNo, dir, state, depth);
            return;
        }
        // tgt-admin check_value: "Option X has a missing value!"
        if (value.Length == 0)
            throw Error(file, lineNo, $"option {key} has a missing value");
        var option = new TargetsConfOption(key, value, file, lineNo);
        if (state.Store is { } store)
        {
            if (!TargetsConfKeys.Lun.Contains(key))
                throw Error(file, lineNo, $"{key} cannot be set for one LUN (<{(store.Direct ? "direct-store" : "backing-store")}> takes LUN settings)");
            store.Options.Add(option);
        }
        else if (state.Target is { } target)
        {
            if (!TargetsConfKeys.IsTargetKey(key))
                throw Error(file, lineNo, $"unknown option {key} in <target {target.Name}>");
            if (key is "backing-store" or "direct-store")
            {
                if (!target.Stores.Any(s => s.Path == value && s.Direct == (key == "direct-store")))
                    target.Stores.Add(new TargetsConfStore { Path = value, Direct = key == "direct-store", File = file, Line = lineNo });
                return;
            }
            target.Options.Add(option);
        }
        else
        {
            if (!TargetsConfKeys.Global.Contains(key))
                throw Error(file, lineNo, TargetsConfKeys.IsTargetKey(key) ? $"{key} belongs in a <target> block" : $"unknown option {key}");
            state.Doc.Globals.Add(option);
        }
    }

    private static void Include(string pattern, string file, int lineNo, string dir, ParseState state, int depth)
    {
        if (pattern.Length == 0)
            throw Error(file, lineNo, "include needs a file, folder or pattern");
        if (depth >= MaxIncludeDepth)
            throw Error(file, lineNo, $"includes nest deeper than {MaxIncludeDepth}");
        var full = Path.IsPathRooted(pattern) ? pattern : Path.Combine(dir, pattern);
        var files = TargetsConfGlob.Expand(full);
        if (files is null)
            throw Error(file, lineNo, $"cannot include {pattern}: no such file or folder");
        foreach (var f in files)
            ReadFile(f, f, state, depth + 1);
    }

    /// <summary>The checks that need the whole document: keys given twice where tgt-admin takes one.</summary>
    private static void Check(TargetsConfDocument doc)
    {
        foreach (var key in new[] { "default-driver", "control-port" })
        {
            var all = doc.Globals.Where(o => o.Key == key).ToList();
            if (all.Count > 1)
                throw Error(all[1].File, all[1].Line, $"multiple {key} definitions are not allowed");
        }
        foreach (var t in doc.Targets)
        {
            Once(t.Options);
            foreach (var s in t.Stores) Once(s.Options);
        }
    }

    private static void Once(List<TargetsConfOption> options)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in options)
            if (!TargetsConfKeys.Repeatable.Contains(o.Key) && !seen.Add(o.Key))
                throw Error(o.File, o.Line, $"multiple '{o.Key}' definitions are not allowed");
    }

    private static string Unquote(string value)
        => value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;

    private static ConfigException Error(string file, int line, string reason) => new($"{file}:{line}", "", reason);
}
