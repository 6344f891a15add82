namespace SharpSan.Config;

/// <summary>
/// An IET access file: initiators.allow, initiators.deny or targets.allow (IET usr/plain.c match()).
/// Each line is a target name or "ALL", blanks, then a comma-separated list of entries; '#' starts a
/// comment line. For a given target IET reads the lines in order and the first one naming that
/// target or ALL decides — later lines are never looked at ("Entry processing stops at the ALL target
/// entry if present", etc/initiators.allow). Lines for targets that do not exist are skipped.
/// </summary>
internal sealed class IetAccessFile
{
    private IetAccessFile(string source, List<IetAccessRule> rules)
    {
        Source = source;
        Rules = rules;
    }

    /// <summary>The file as named in errors and notes.</summary>
    public string Source { get; }
    public IReadOnlyList<IetAccessRule> Rules { get; }

    /// <summary>Parses the whole file; an entry that cannot be read is refused with its line.
    /// <paramref name="namesAllowed"/> is false for targets.allow, which lists local addresses only.</summary>
    public static IetAccessFile Parse(string text, string source, bool namesAllowed)
    {
        var rules = new List<IetAccessRule>();
        // IET reads these files line by line with fgets: no continuation lines.
        foreach (var line in IetLine.Split(text, continuations: false))
        {
            var rest = line.Text.TrimStart();
            rest = rest[line.Words[0].Length..];
            var entries = new List<IetAccessEntry>();
            foreach (var raw in rest.Split(','))
            {
                // __match trims blanks around each entry and skips empty ones.
                var item = raw.Trim();
                if (item.Length == 0) continue;
                if (IetAccessEntry.Parse(item, namesAllowed, out var error) is not { } entry)
                    throw IetError.At(source, line.Number, error);
                entries.Add(entry);
            }
            rules.Add(new IetAccessRule(line.Number, line.Words[0], entries));
        }
        return new IetAccessFile(source, rules);
    }

    /// <summary>The line that decides for <paramref name="target"/>, or null. Target names are compared
    /// as IET's target_find_by_name does, exactly.</summary>
    public IetAccessRule? Decisive(string target) =>
        Rules.FirstOrDefault(r => r.Target == "ALL" || string.Equals(r.Target, target, StringComparison.Ordinal));
}
