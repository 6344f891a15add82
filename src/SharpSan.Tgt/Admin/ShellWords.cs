using System.Text;

namespace SharpSan.Tgt.Admin;

/// <summary>
/// Splits a command line into words as /bin/sh does for the commands tgt-admin builds (perl's
/// system() with one string): blanks separate words, '...' quotes literally, "..." quotes with
/// backslash escapes, and a backslash outside quotes escapes the next character.
/// </summary>
internal static class ShellWords
{
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c is ' ' or '\t')
            {
                if (inWord) { words.Add(word.ToString()); word.Clear(); inWord = false; }
                continue;
            }
            inWord = true;
            if (c == '\'')
            {
                var close = line.IndexOf('\'', i + 1);
                if (close < 0) close = line.Length;
                word.Append(line, i + 1, close - i - 1);
                i = close;
            }
            else if (c == '"')
            {
                for (i++; i < line.Length && line[i] != '"'; i++)
                {
                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$' or '`') i++;
                    word.Append(line[i]);
                }
            }
            else if (c == '\\' && i + 1 < line.Length)
                word.Append(line[++i]);
            else
                word.Append(c);
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }

    /// <summary>A value as tgt-admin quotes it: '...' (a quote inside is written \', as tgt-admin does).</summary>
    public static string Quote(string value) => $"'{value.Replace("'", "\\'")}'";
}
