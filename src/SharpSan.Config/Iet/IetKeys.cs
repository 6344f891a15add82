namespace SharpSan.Config;

/// <summary>
/// The per-target keys of ietd.conf (IET usr/param.c: session_keys, target_keys; include/iet_u.h for
/// the target keys' ranges). The iSCSI keys keep their RFC 7143 names, which are also LIO's TPG
/// parameter names, so a target imported from IET shows in targetcli and saveconfig.json as LIO would
/// write it. Values are checked against the same ranges IET and the RFC use; IET silently clamps an
/// out-of-range number, SharpSAN refuses the file instead, naming the line.
/// </summary>
internal static class IetKeys
{
    private const long Max24 = 16777215; // 2^24 - 1, RFC 7143 §13.12-13.14

    private static readonly IetKey[] Table =
    [
        new("InitialR2T", IetValueKind.YesNo, 0, 1, IetKeyUse.Parameter),
        new("ImmediateData", IetValueKind.YesNo, 0, 1, IetKeyUse.Parameter),
        // ietd.conf(5): "Has to be set to 1 ... since MC/S is not supported"; SharpSAN has one connection per session too.
        new("MaxConnections", IetValueKind.Number, 1, 65535, IetKeyUse.Parameter, "1", "one connection per session (no MC/S), as IET"),
        new("MaxRecvDataSegmentLength", IetValueKind.Number, 512, Max24, IetKeyUse.Parameter),
        // Not an RFC key: IET's (and LIO's) limit on the data segments the target sends; kept as LIO keeps it.
        new("MaxXmitDataSegmentLength", IetValueKind.Number, 512, Max24, IetKeyUse.Parameter),
        new("MaxBurstLength", IetValueKind.Number, 512, Max24, IetKeyUse.Parameter),
        new("FirstBurstLength", IetValueKind.Number, 512, Max24, IetKeyUse.Parameter),
        new("DefaultTime2Wait", IetValueKind.Number, 0, 3600, IetKeyUse.Parameter),
        new("DefaultTime2Retain", IetValueKind.Number, 0, 3600, IetKeyUse.Parameter),
        new("MaxOutstandingR2T", IetValueKind.Number, 1, 65535, IetKeyUse.Parameter),
        // ietd.conf(5): DataPDUInOrder, DataSequenceInOrder "Has to be set to Yes"; ErrorRecoveryLevel "Has to be set to 0".
        new("DataPDUInOrder", IetValueKind.YesNo, 0, 1, IetKeyUse.Parameter, "Yes", "data PDUs in order only, as IET"),
        new("DataSequenceInOrder", IetValueKind.YesNo, 0, 1, IetKeyUse.Parameter, "Yes", "data sequences in order only, as IET"),
        new("ErrorRecoveryLevel", IetValueKind.Number, 0, 2, IetKeyUse.Parameter, "0", "error recovery level 0 only, as IET"),
        new("HeaderDigest", IetValueKind.Digest, 0, 0, IetKeyUse.Parameter),
        new("DataDigest", IetValueKind.Digest, 0, 0, IetKeyUse.Parameter),
        // Markers are obsolete (RFC 7143 §13.26): IET negotiates them away; the target answers No/Reject.
        new("OFMarker", IetValueKind.YesNo, 0, 1, IetKeyUse.Ignored, "No", "no markers (RFC 7143 obsoletes them)", "markers are never used"),
        new("IFMarker", IetValueKind.YesNo, 0, 1, IetKeyUse.Ignored, "No", "no markers (RFC 7143 obsoletes them)", "markers are never used"),
        new("OFMarkInt", IetValueKind.Any, 0, 0, IetKeyUse.Ignored, Ignored: "markers are never used"),
        new("IFMarkInt", IetValueKind.Any, 0, 0, IetKeyUse.Ignored, Ignored: "markers are never used"),
        // target_keys (iet_u.h: NR_WTHREADS 1-128, NR_QUEUED_CMNDS 1-256, NOP_INTERVAL/NOP_TIMEOUT 0-90).
        new("Wthreads", IetValueKind.Number, 1, 128, IetKeyUse.Ignored, Ignored: "SharpSAN schedules backstore I/O itself (no per-target I/O threads)"),
        new("QueuedCommands", IetValueKind.Number, 1, 256, IetKeyUse.CommandWindow),
        new("NOPInterval", IetValueKind.Number, 0, 90, IetKeyUse.Ignored,
            Ignored: "SharpSAN pings an idle initiator every 15 s and drops it after 30 s without an answer, for every target"),
        new("NOPTimeout", IetValueKind.Number, 0, 90, IetKeyUse.Ignored,
            Ignored: "SharpSAN pings an idle initiator every 15 s and drops it after 30 s without an answer, for every target"),
        // An internal target key IET's table carries (0-16); nothing in the documentation sets it.
        new("Type", IetValueKind.Number, 0, 16, IetKeyUse.Ignored, Ignored: "IET's internal target type has no meaning here"),
    ];

    private static readonly Dictionary<string, IetKey> ByName = Table.ToDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase);

    public static bool TryGet(string name, out IetKey key) => ByName.TryGetValue(name, out key!);

    /// <summary>
    /// Reads <paramref name="text"/> for <paramref name="key"/>; returns the value as LIO writes it
    /// (decimal numbers, Yes/No, digest lists) or null with <paramref name="error"/> set.
    /// </summary>
    public static string? Parse(IetKey key, string text, out string error)
    {
        error = "";
        string value;
        switch (key.Kind)
        {
            case IetValueKind.Number:
                if (!TryParseNumber(text, out var n))
                {
                    error = $"{key.Name} \"{text}\" is not a number";
                    return null;
                }
                if (n < key.Min || n > key.Max)
                {
                    error = $"{key.Name} {n} is out of range ({key.Min} to {key.Max})";
                    return null;
                }
                value = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                break;
            case IetValueKind.YesNo:
                // bool_str_to_val: strcmp against "Yes" and "No"; ietd.conf(5): "case sensitive".
                if (text is not ("Yes" or "No"))
                {
                    error = $"{key.Name} \"{text}\" is not Yes or No (case-sensitive, as IET reads it)";
                    return null;
                }
                value = text;
                break;
            case IetValueKind.Digest:
                if (ParseDigest(text) is not { } digest)
                {
                    error = $"{key.Name} \"{text}\" is not None, CRC32C or a comma-separated list of them";
                    return null;
                }
                value = digest;
                break;
            default:
                value = text;
                break;
        }
        if (key.Required is not null && value != key.Required)
        {
            error = $"{key.Name} {value} is not supported: {key.RequiredWhy} ({key.Name} {key.Required})";
            return null;
        }
        return value;
    }

    /// <summary>
    /// IET's digest_str_to_val starts from "None" and adds each listed value, so "CRC32C" alone still
    /// lets an initiator without digests in (digest_set_val picks CRC32C only when both sides offer
    /// it). The list offered to initiators is therefore CRC32C,None whenever CRC32C is named.
    /// </summary>
    private static string? ParseDigest(string text)
    {
        var crc = false;
        foreach (var item in text.Split(','))
        {
            if (item == "CRC32C") crc = true;
            else if (item != "None") return null;
        }
        return crc ? "CRC32C,None" : "None";
    }

    /// <summary>strtol(text, NULL, 0) on a whole word: optional sign, then 0x/0X hex, 0 octal or decimal.
    /// A word with anything after the number is refused (strtol would stop there silently).</summary>
    public static bool TryParseNumber(string text, out long value)
    {
        value = 0;
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        var radix = 10;
        if (s.Length > 2 && s[0] == '0' && s[1] is 'x' or 'X') { radix = 16; s = s[2..]; }
        else if (s.Length > 1 && s[0] == '0') { radix = 8; s = s[1..]; }
        if (s.Length == 0 || s.Length > 12)
            return false;
        foreach (var c in s)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigit(c) ? (char.ToLowerInvariant(c) - 'a' + 10) : 99;
            if (digit >= radix) return false;
            value = value * radix + digit;
        }
        if (negative) value = -value;
        return true;
    }
}
