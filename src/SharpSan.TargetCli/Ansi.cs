namespace SharpSan.TargetCli;

/// <summary>The few ANSI styles the shell uses (only written to a terminal).</summary>
internal static class Ansi
{
    public const string Red = "31";
    public const string Green = "32";
    public const string Yellow = "33";
    public const string Blue = "34";
    public const string Magenta = "35";
    public const string Cyan = "36";

    public static string Style(string text, string? color, bool bold = false, bool underline = false)
    {
        var codes = new List<string>();
        if (color is not null) codes.Add(color);
        if (bold) codes.Add("1");
        if (underline) codes.Add("4");
        return codes.Count == 0 ? text : $"\x1b[{string.Join(';', codes)}m{text}\x1b[0m";
    }
}
