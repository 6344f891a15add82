using System.Text.RegularExpressions;

namespace SharpSan.Config.Tgt;

/// <summary>
/// What "include X" reads (Config::General -IncludeGlob -IncludeDirectories): a file; every file of
/// a folder, in name order; or the files a shell pattern (*, ?, [...]) in the last path element
/// matches, in name order, none being fine (Debian's targets.conf includes conf.d/*.conf, often empty).
/// </summary>
internal static class TargetsConfGlob
{
    /// <summary>The files, or null when a plain path names nothing.</summary>
    public static IReadOnlyList<string>? Expand(string path)
    {
        if (path.IndexOfAny(['*', '?', '[']) < 0)
        {
            if (File.Exists(path)) return [path];
            if (Directory.Exists(path)) return Directory.GetFiles(path).Order(StringComparer.Ordinal).ToList();
            return null;
        }
        var dir = Path.GetDirectoryName(path) ?? "/";
        if (dir.IndexOfAny(['*', '?', '[']) >= 0)
            return Directory.Exists(Path.GetDirectoryName(dir) ?? "/")
                ? ExpandDirs(dir).SelectMany(d => Match(d, Path.GetFileName(path))).Order(StringComparer.Ordinal).ToList()
                : [];
        return Match(dir, Path.GetFileName(path)).Order(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> ExpandDirs(string pattern)
    {
        var parent = Path.GetDirectoryName(pattern) ?? "/";
        var regex = ToRegex(Path.GetFileName(pattern));
        return Directory.Exists(parent) ? Directory.GetDirectories(parent).Where(d => regex.IsMatch(Path.GetFileName(d))) : [];
    }

    private static IEnumerable<string> Match(string dir, string pattern)
    {
        if (!Directory.Exists(dir)) return [];
        var regex = ToRegex(pattern);
        return Directory.GetFiles(dir).Where(f => regex.IsMatch(Path.GetFileName(f)));
    }

    /// <summary>A shell pattern as a regex: '*' and '?' do not match a leading dot, like glob(3).</summary>
    private static Regex ToRegex(string pattern)
    {
        var sb = new System.Text.StringBuilder("^");
        if (pattern.Length > 0 && pattern[0] is '*' or '?') sb.Append("(?!\\.)");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*': sb.Append(".*"); break;
                case '?': sb.Append('.'); break;
                case '[':
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0) { sb.Append("\\["); break; }
                    var set = pattern[(i + 1)..close];
                    if (set.StartsWith('!')) set = "^" + set[1..];
                    sb.Append('[').Append(set.Replace("\\", "\\\\")).Append(']');
                    i = close;
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant);
    }
}
