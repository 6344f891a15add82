namespace SharpSan.Config;

/// <summary>
/// One logical line of an IET file (ietd.conf, initiators.allow/deny, targets.allow): its first
/// physical line number and its blank-separated words. IET reads each line with fgets and splits it
/// with target_sep_string (usr/plain.c), which skips blanks (isspace: space, tab, CR...) and takes the
/// next run of non-blanks; a line whose first word starts with '#' is a comment.
/// </summary>
internal sealed record IetLine(int Number, IReadOnlyList<string> Words, string Text)
{
    /// <summary>The directive (first word).</summary>
    public string Keyword => Words[0];

    /// <summary>
    /// True when nothing but a comment follows word <paramref name="index"/>. IET only looks at the words
    /// a directive takes and ignores the rest; its own sample ietd.conf puts "# ..." comments after the
    /// values, so those are accepted, and any other extra word is refused (it would be silently lost).
    /// </summary>
    public bool EndsAfter(int index) => Words.Count <= index + 1 || Words[index + 1].StartsWith('#');

    /// <summary>Words from <paramref name="start"/> up to a trailing comment, joined by one space.</summary>
    public string Rest(int start)
    {
        var end = start;
        while (end < Words.Count && !Words[end].StartsWith('#')) end++;
        return string.Join(' ', Words.Skip(start).Take(end - start));
    }

    /// <summary>
    /// Splits <paramref name="text"/> into logical lines, dropping blank and comment lines. ietd.conf(5):
    /// "A line may be extended across multiple lines by making the last character a backslash": the
    /// backslash and the line break are removed and the next line is appended as it is (so
    /// "Path=/a,\" + "Type=fileio" is "Path=/a,Type=fileio"); the logical line keeps its first number.
    /// </summary>
    public static List<IetLine> Split(string text, bool continuations)
    {
        var lines = new List<IetLine>();
        var physical = text.Split('\n');
        for (var i = 0; i < physical.Length; i++)
        {
            var number = i + 1;
            var line = physical[i].TrimEnd('\r');
            while (continuations && line.EndsWith('\\') && i + 1 < physical.Length)
                line = line[..^1] + physical[++i].TrimEnd('\r');
            var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words[0].StartsWith('#'))
                continue;
            lines.Add(new IetLine(number, words, line));
        }
        return lines;
    }
}
