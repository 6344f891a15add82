using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SharpSan.Config;

/// <summary>
/// One entry of an initiators.allow/initiators.deny line (IET usr/plain.c __match): "ALL", an IPv4 or
/// IPv6 address, a network "address/prefix" (IPv6 may be in brackets), or an initiator name, which IET
/// matches as an anchored POSIX basic regular expression ("^entry$"). Names are kept when they are
/// literal (a '.' counts as itself, and "\." is read as "."); a real pattern (*, [...], ^, $ or another
/// backslash) cannot be expressed as the exact names the target compares, so it is refused.
/// </summary>
internal readonly record struct IetAccessEntry(IetAccessKind Kind, string Value)
{
    private static readonly char[] PatternCharacters = ['*', '[', ']', '^', '$', '\\'];

    /// <summary>Reads a trimmed, non-empty entry; null with <paramref name="error"/> when it is unusable.</summary>
    public static IetAccessEntry? Parse(string text, bool namesAllowed, out string error)
    {
        error = "";
        if (text == "ALL")
            return new IetAccessEntry(IetAccessKind.All, "ALL");
        if (text.Any(char.IsWhiteSpace))
        {
            error = $"\"{text}\" contains blanks (entries are separated by commas; a comment is a whole line starting with #)";
            return null;
        }
        if (LooksLikeAddress(text))
            return ParseAddress(text, out error);
        if (!namesAllowed)
        {
            error = $"\"{text}\" is not ALL, an IP address or a network";
            return null;
        }
        var name = text.Replace("\\.", ".", StringComparison.Ordinal);
        if (name.IndexOfAny(PatternCharacters) >= 0)
        {
            error = $"\"{text}\" is a regular expression: initiator name patterns are not supported; list the initiator names (or use ALL, addresses or networks)";
            return null;
        }
        if (name.Any(char.IsControl))
        {
            error = $"\"{text}\" contains control characters";
            return null;
        }
        return new IetAccessEntry(IetAccessKind.Name, name);
    }

    /// <summary>Brackets, or only hex digits, dots, colons and a slash with at least one dot or colon:
    /// no iSCSI name (iqn., eui., naa.) looks like that.</summary>
    private static bool LooksLikeAddress(string text) =>
        text.StartsWith('[')
        || (text.All(c => char.IsAsciiHexDigit(c) || c is '.' or ':' or '/') && text.IndexOfAny(['.', ':']) >= 0 && !text.StartsWith('.'));

    private static IetAccessEntry? ParseAddress(string text, out string error)
    {
        error = "";
        var host = text;
        string? prefix = null;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            var after = close < 0 ? "" : host[(close + 1)..];
            if (close < 0 || (after.Length > 0 && !after.StartsWith('/')))
            {
                error = $"\"{text}\" is not an [IPv6 address] or [IPv6 address]/prefix";
                return null;
            }
            if (after.Length > 0) prefix = after[1..];
            host = host[1..close];
        }
        else if (host.IndexOf('/') is var slash and >= 0)
        {
            prefix = host[(slash + 1)..];
            host = host[..slash];
        }
        var address = ConfigValidator.ParseIpLiteral(host);
        if (address is null)
        {
            error = $"\"{text}\" is not an IP address or network";
            return null;
        }
        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        var bits = v4 ? 32 : 128;
        if (prefix is not null
            && (prefix.Length == 0 || !prefix.All(char.IsAsciiDigit) || !int.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out bits) || bits > (v4 ? 32 : 128)))
        {
            error = $"\"{text}\": the prefix length must be 0 to {(v4 ? 32 : 128)}";
            return null;
        }
        // netmask_match_v4 returns "no match" when the rule's address has bits outside the mask, so
        // such a rule never admits (or denies) anyone in IET; refusing it beats silently changing that.
        if (v4 && prefix is not null && HasHostBits(address, bits))
        {
            error = $"\"{text}\" has host bits set, so IET never matches it (write the network address, e.g. {Network(address, bits)}/{bits})";
            return null;
        }
        var literal = v4 ? address.ToString() : $"[{address}]";
        return new IetAccessEntry(IetAccessKind.Address, prefix is null ? literal : $"{literal}/{bits}");
    }

    private static bool HasHostBits(IPAddress address, int bits) => !Network(address, bits).Equals(address);

    private static IPAddress Network(IPAddress address, int bits)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] &= (byte)(0xFF << (8 - Math.Clamp(bits - i * 8, 0, 8)));
        return new IPAddress(bytes);
    }
}
