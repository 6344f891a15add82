using System.Text.RegularExpressions;

namespace SharpSan.TargetCli.Shell;

/// <summary>One whitespace-separated word of a command line and where it starts.</summary>
internal readonly record struct Token(string Text, int Start)
{
    public int End => Start + Text.Length;
}

/// <summary>
/// configshell's command line grammar: <c>[PATH] [COMMAND] [PARAM | KEY=VALUE]...</c>. A first word is a
/// path when it holds a '/', is "." or "..", a bookmark (@name) or "*"; the command is a word of
/// letters, digits and '_'; "key=value" words are keyword parameters, the others positional.
/// </summary>
internal sealed partial class CommandLine
{
    public Token? Path { get; private init; }
    public Token? Command { get; private init; }
    public List<Token> Positional { get; } = new();
    public List<(string Key, string Value, Token Token)> Keyword { get; } = new();

    public string PathText => Path?.Text ?? "";
    public string CommandText => Command?.Text ?? "";

    public static List<Token> Split(string line)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < line.Length)
        {
            while (i < line.Length && char.IsWhiteSpace(line[i])) i++;
            if (i >= line.Length) break;
            var start = i;
            while (i < line.Length && !char.IsWhiteSpace(line[i])) i++;
            tokens.Add(new Token(line[start..i], start));
        }
        return tokens;
    }

    public static bool LooksLikePath(string word)
        => word.Contains('/') || word is "." or ".." or "*" || word.StartsWith('@');

    public static CommandLine Parse(string line)
    {
        var tokens = Split(line);
        var index = 0;
        Token? path = null, command = null;
        if (index < tokens.Count && LooksLikePath(tokens[index].Text))
            path = tokens[index++];
        if (index < tokens.Count && CommandWord().IsMatch(tokens[index].Text))
            command = tokens[index++];
        var parsed = new CommandLine { Path = path, Command = command };
        for (; index < tokens.Count; index++)
        {
            var token = tokens[index];
            var match = KeywordParam().Match(token.Text);
            if (match.Success)
                parsed.Keyword.Add((match.Groups[1].Value, match.Groups[2].Value, token));
            else
                parsed.Positional.Add(token);
        }
        return parsed;
    }

    [GeneratedRegex("^[A-Za-z0-9_]+$")]
    private static partial Regex CommandWord();

    [GeneratedRegex("^([A-Za-z0-9_-]+)=(.*)$")]
    private static partial Regex KeywordParam();
}
