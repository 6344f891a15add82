namespace SharpSan.Config;

/// <summary>Errors in IET's files, one line each: "FILE:LINE: reason" (the whole file set is refused).</summary>
internal static class IetError
{
    public static ConfigException At(string source, int line, string reason) => new($"{source}:{line}", "", reason);

    public static ConfigException In(string source, string reason) => new(source, "", reason);
}
