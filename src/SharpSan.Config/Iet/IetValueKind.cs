namespace SharpSan.Config;

/// <summary>How an ietd.conf key's value is written and what it becomes.</summary>
internal enum IetValueKind
{
    /// <summary>An integer as strtol(str, NULL, 0) reads it: decimal, 0x hex or 0 octal.</summary>
    Number,
    /// <summary>"Yes" or "No", case-sensitive (ietd.conf(5)).</summary>
    YesNo,
    /// <summary>"None", "CRC32C" or a comma-separated list of them.</summary>
    Digest,
    /// <summary>Not parsed by IET either (OFMarkInt, IFMarkInt).</summary>
    Any,
}
