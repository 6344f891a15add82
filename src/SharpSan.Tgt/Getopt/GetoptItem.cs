namespace SharpSan.Tgt.Getopt;

/// <summary>What <see cref="GetoptLong.Next"/> found: an option character with its argument, or '?'
/// with the message glibc prints (without the "program: " prefix).</summary>
internal readonly record struct GetoptItem(char Option, string? Argument, string? Error)
{
    public bool IsError => Option == '?';
}
