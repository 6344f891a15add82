using System.Text.RegularExpressions;

namespace SharpSan.Config;

/// <summary>
/// iSCSI name syntax, RFC 7143 §4.2.7 (and RFC 3722 stringprep): "iqn." date "." reversed domain
/// [":" anything], "eui." 16 hex digits, or "naa." 16 or 32 hex digits; at most 223 bytes.
/// Only the ASCII subset is accepted (the stringprep profile leaves letters, digits, '-', '.', ':').
/// </summary>
public static partial class IscsiName
{
    /// <summary>RFC 7143 §6.1: "iSCSI names ... up to a maximum length of 223 bytes".</summary>
    public const int MaxLength = 223;

    public static bool IsValid(string name) => Check(name) is null;

    /// <summary>Null when valid, else the reason, phrased for an error message.</summary>
    public static string? Check(string name)
    {
        if (name.Length == 0)
            return "empty iSCSI name";
        if (System.Text.Encoding.UTF8.GetByteCount(name) > MaxLength)
            return $"iSCSI name longer than {MaxLength} bytes";
        if (name.StartsWith("iqn.", StringComparison.OrdinalIgnoreCase))
        {
            if (Iqn().IsMatch(name))
                return null;
            // RFC 3722 maps names to lowercase before comparing; a target name with capitals would be
            // presented differently from how it is compared, so ask for the normalised form.
            if (Iqn().IsMatch(name.ToLowerInvariant()))
                return $"iSCSI name \"{name}\" must be lowercase";
            return $"\"{name}\" is not a valid iqn name (iqn.yyyy-mm.reversed.domain[:identifier], lowercase letters, digits, '-', '.', ':')";
        }
        if (name.StartsWith("eui.", StringComparison.OrdinalIgnoreCase))
            return Eui().IsMatch(name) ? null : $"\"{name}\" is not a valid eui name (eui. followed by 16 hex digits)";
        if (name.StartsWith("naa.", StringComparison.OrdinalIgnoreCase))
            return Naa().IsMatch(name) ? null : $"\"{name}\" is not a valid naa name (naa. followed by 16 or 32 hex digits)";
        return $"\"{name}\" is not an iSCSI name (iqn.yyyy-mm.reversed.domain[:identifier], eui.<16 hex> or naa.<16|32 hex>)";
    }

    // Year, month 01..12, reversed domain of one or more labels, optional ":"-introduced identifier.
    [GeneratedRegex(@"^iqn\.[0-9]{4}-(0[1-9]|1[0-2])\.[a-z0-9]([a-z0-9-]*)(\.[a-z0-9-]+)*(:[a-z0-9.:-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Iqn();

    [GeneratedRegex(@"^eui\.[0-9A-Fa-f]{16}$", RegexOptions.CultureInvariant)]
    private static partial Regex Eui();

    [GeneratedRegex(@"^naa\.([0-9A-Fa-f]{16}|[0-9A-Fa-f]{32})$", RegexOptions.CultureInvariant)]
    private static partial Regex Naa();
}
