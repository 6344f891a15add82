using System.Buffers;
using System.Text;

namespace SharpSan.Protocol;

/// <summary>
/// The text format of Login and Text PDUs (RFC 7143 §6.1): <c>key=value</c> pairs, each terminated by
/// a NUL byte, UTF-8. Order is kept, since responses follow the order of offers.
/// </summary>
public static class TextKeyValues
{
    /// <summary>Longest key name (§6.1: 63 bytes).</summary>
    public const int MaxKeyLength = 63;
    /// <summary>Longest value we accept; §6.1 allows 255 for most, 8192 for some (e.g. CHAP_C in hex).</summary>
    public const int MaxValueLength = 8192;

    /// <summary>Parses a complete text segment. Throws <see cref="FormatException"/> on a pair without
    /// '=', an empty or over-long key, or an over-long value.</summary>
    public static List<KeyValuePair<string, string>> Parse(ReadOnlySpan<byte> text)
    {
        var list = new List<KeyValuePair<string, string>>();
        while (!text.IsEmpty)
        {
            int nul = text.IndexOf((byte)0);
            var pair = nul < 0 ? text : text[..nul];
            text = nul < 0 ? ReadOnlySpan<byte>.Empty : text[(nul + 1)..];
            if (pair.IsEmpty) continue; // tolerate padding NULs
            int eq = pair.IndexOf((byte)'=');
            if (eq <= 0) throw new FormatException($"text key without '=': \"{Printable(pair)}\"");
            if (eq > MaxKeyLength) throw new FormatException($"text key longer than {MaxKeyLength} bytes");
            if (pair.Length - eq - 1 > MaxValueLength) throw new FormatException($"value of {Encoding.UTF8.GetString(pair[..eq])} longer than {MaxValueLength} bytes");
            list.Add(new(Encoding.UTF8.GetString(pair[..eq]), Encoding.UTF8.GetString(pair[(eq + 1)..])));
        }
        return list;
    }

    public static List<KeyValuePair<string, string>> Parse(in ReadOnlySequence<byte> text)
        => text.IsSingleSegment ? Parse(text.FirstSpan) : Parse(text.ToArray());

    /// <summary>Encodes pairs as key=value\0...</summary>
    public static byte[] Encode(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in pairs) sb.Append(k).Append('=').Append(v).Append('\0');
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static string Printable(ReadOnlySpan<byte> b)
    {
        var s = Encoding.UTF8.GetString(b[..Math.Min(b.Length, 64)]);
        return s.Replace("\0", "\\0");
    }
}
