namespace SharpSan.Config;

/// <summary>
/// One per-target key of ietd.conf: its name (matched case-insensitively, as param_index_by_name does
/// with strcasecmp), value syntax and range (IET usr/param.c session_keys and target_keys, the RFC 7143
/// ranges), and, where SharpSAN (like IET) supports a single value, that value and why.
/// </summary>
internal sealed record IetKey(string Name, IetValueKind Kind, long Min, long Max, IetKeyUse Use,
    string? Required = null, string? RequiredWhy = null, string? Ignored = null);
