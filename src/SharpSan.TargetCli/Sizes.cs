using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpSan.TargetCli;

/// <summary>targetcli's size syntax (human_to_bytes, bytes_to_human): binary units, "1G", "500M", "512K", "1T", "4096".</summary>
internal static partial class Sizes
{
    public static ulong Parse(string text)
    {
        var size = text.Replace("i", "", StringComparison.Ordinal).ToLowerInvariant();
        if (!SizeSyntax().IsMatch(size))
            throw new CliException($"Cannot interpret size, wrong format: {text}");
        size = size.TrimEnd('i', 'b');
        var power = "kmgt".IndexOf(size[^1]) + 1;
        var digits = power > 0 ? size[..^1] : size;
        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw new CliException($"Cannot interpret size, wrong format: {text}");
        try
        {
            for (var i = 0; i < power; i++)
                value = checked(value * 1024);
        }
        catch (OverflowException)
        {
            throw new CliException($"The file size is too large ({text})");
        }
        return value;
    }

    public static string ToHuman(ulong bytes)
    {
        if (bytes < 1024)
            return $"{bytes} bytes";
        var size = bytes / 1024.0;
        foreach (var unit in new[] { "KiB", "MiB", "GiB", "TiB", "PiB" })
        {
            if (size < 1024)
                return size.ToString("0.0", CultureInfo.InvariantCulture) + unit;
            size /= 1024;
        }
        return (size * 1024).ToString("0.0", CultureInfo.InvariantCulture) + "PiB";
    }

    [GeneratedRegex("^[0-9]+[kmgt]?b?$", RegexOptions.CultureInvariant)]
    private static partial Regex SizeSyntax();
}
