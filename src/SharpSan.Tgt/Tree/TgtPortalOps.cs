using System.Globalization;
using System.Net;
using SharpSan.Tgt.Tgtadm;

namespace SharpSan.Tgt.Tree;

/// <summary>
/// `tgtadm --mode portal --op new|delete --param portal=IP[:PORT]` (usr/iscsi/iscsid.c
/// iscsi_param_parse_portals): tgt's listening portals, shared by every tgt target. Until one is
/// added, tgt targets listen on <see cref="TgtTree.DefaultPortal"/>; the first change starts from it.
/// </summary>
internal static class TgtPortalOps
{
    public static void New(TgtTree tree, string portalOps)
    {
        var portals = Materialize(tree);
        foreach (var ep in Parse(portalOps))
        {
            // tgtd cannot bind a portal twice: iscsi_add_portal fails.
            if (portals.Any(p => Same(p, ep))) throw new TgtadmException(TgtadmError.InvalidRequest);
            portals.Add(TgtTree.FormatPortal(ep.Address, ep.Port));
        }
        tree.SyncAll();
    }

    public static void Delete(TgtTree tree, string portalOps)
    {
        var portals = Materialize(tree);
        foreach (var ep in Parse(portalOps))
        {
            var i = portals.FindIndex(p => Same(p, ep));
            if (i < 0) throw new TgtadmException(TgtadmError.InvalidRequest);
            portals.RemoveAt(i);
        }
        if (portals.Count == 0)
            throw new TgtadmException(TgtadmError.InvalidRequest,
                "SharpSAN keeps at least one tgt portal (with none, tgt targets would listen on the default 0.0.0.0:3260)");
        tree.SyncAll();
    }

    private static List<string> Materialize(TgtTree tree)
    {
        var portals = tree.Config.Tgt.Portals;
        if (portals.Count == 0) portals.Add(TgtTree.DefaultPortal);
        return portals;
    }

    private static bool Same(string configured, IPEndPoint ep)
        => Config.ConfigValidator.TryParsePortal(configured, out var c) && c.Equals(ep);

    /// <summary>tgt's portal list: "portal=ADDR[:PORT]" items (IPv6 in brackets), default port 3260;
    /// tgt resolves host names, SharpSAN takes address literals.</summary>
    private static List<IPEndPoint> Parse(string portalOps)
    {
        var result = new List<IPEndPoint>();
        foreach (var item in portalOps.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!item.StartsWith("portal", StringComparison.Ordinal)) continue; // nop_interval, nop_count: tgt-wide, not kept
            var addr = item.Length > 7 ? item[7..] : "";
            string host;
            var port = 3260;
            if (addr.StartsWith('['))
            {
                var close = addr.IndexOf(']');
                if (close < 0) throw new TgtadmException(TgtadmError.InvalidRequest);
                host = addr[1..close];
                if (close + 1 < addr.Length && addr[close + 1] == ':') port = TgtLunParams.Atoi(addr[(close + 2)..]);
            }
            else
            {
                var colon = addr.IndexOf(':');
                host = colon < 0 ? addr : addr[..colon];
                if (colon >= 0) port = TgtLunParams.Atoi(addr[(colon + 1)..]);
            }
            if (port == 0) port = 3260; // tgt prints and listens on ISCSI_LISTEN_PORT for port 0
            if (!IsLiteral(host, out var ip) || port is < 1 or > 65535)
                throw new TgtadmException(TgtadmError.InvalidRequest, host.Length == 0 ? null : $"\"{host}\" is not an IP address literal");
            result.Add(new IPEndPoint(ip, port));
        }
        return result;
    }

    public static string Show(TgtTree tree)
    {
        // tgtd adds each new portal at the head of its list.
        var lines = tree.EffectivePortals.Reverse().Select(p => $"Portal: {p},1\n");
        return string.Concat(lines);
    }

    /// <summary>An IPv4 dotted quad or an IPv6 literal (IPAddress.TryParse alone takes "10.1" or "7").</summary>
    private static bool IsLiteral(string host, out IPAddress address)
    {
        if (!IPAddress.TryParse(host, out address!)) return false;
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6) return !host.Contains('%');
        var parts = host.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && p.All(char.IsAsciiDigit)
            && int.Parse(p, CultureInfo.InvariantCulture) <= 255);
    }
}
