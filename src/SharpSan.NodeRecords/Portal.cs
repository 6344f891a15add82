using System.Globalization;

namespace SharpSan.NodeRecords;

/// <summary>Portal text forms: "-p ip[:port][,tpgt]" (str_to_ipport) and "ip:port,tag" from SendTargets.</summary>
public static class Portal
{
    /// <summary>"ip:port", or "[ipv6]:port" for an address without a dot (as iscsiadm prints).</summary>
    public static string Format(string address, int port) =>
        address.Contains('.') || address.Length == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{address}:{port}")
            : string.Create(CultureInfo.InvariantCulture, $"[{address}]:{port}");

    /// <summary>
    /// str_to_ipport: "10.0.0.1", "10.0.0.1:3261", "10.0.0.1:3260,2", "[fe80::1]:3260", "host:3260".
    /// Port and tpgt are -1 when absent.
    /// </summary>
    public static (string Address, int Port, int Tpgt) Parse(string text)
    {
        var port = -1;
        var tpgt = -1;
        var rest = text;
        string address;
        var comma = rest.IndexOf(',');
        string? tpgtText = null;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0)
                return (rest, port, tpgt);
            address = rest[1..close];
            rest = rest[(close + 1)..];
            comma = rest.IndexOf(',');
            if (comma >= 0)
            {
                tpgtText = rest[(comma + 1)..];
                rest = rest[..comma];
            }
            if (rest.StartsWith(':'))
                port = Record.ParseInt(rest[1..]);
        }
        else
        {
            if (comma >= 0)
            {
                tpgtText = rest[(comma + 1)..];
                rest = rest[..comma];
            }
            var colons = rest.Count(c => c == ':');
            if (colons == 1)
            {
                var colon = rest.IndexOf(':');
                address = rest[..colon];
                port = Record.ParseInt(rest[(colon + 1)..]);
            }
            else
            {
                address = rest; // bare address, or IPv6 without brackets
            }
        }
        if (tpgtText is not null)
            tpgt = Record.ParseInt(tpgtText);
        return (address, port, tpgt);
    }
}
