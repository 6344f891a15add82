using SharpSan.Protocol;
using System.Net;
using SharpSan.Initiator;
using SharpSan.NodeRecords;

namespace SharpSan.Iscsid.Daemon;

/// <summary>Turns an open-iscsi node record into the portal and <see cref="InitiatorOptions"/> of a login.</summary>
internal static class NodeLogin
{
    public static InitiatorOptions Options(NodeRecord r, string initiatorName)
    {
        var o = new InitiatorOptions
        {
            InitiatorName = initiatorName,
            HeaderDigest = r["node.conn[0].iscsi.HeaderDigest"],
            DataDigest = r["node.conn[0].iscsi.DataDigest"],
            InitialR2T = r.GetYesNo("node.session.iscsi.InitialR2T"),
            ImmediateData = r.GetYesNo("node.session.iscsi.ImmediateData"),
            ErrorRecoveryLevel = 0,
            MaxConnections = 1,
        };
        SetPositive(r, "node.session.iscsi.FirstBurstLength", v => o.FirstBurstLength = v);
        SetPositive(r, "node.session.iscsi.MaxBurstLength", v => o.MaxBurstLength = v);
        SetPositive(r, "node.session.iscsi.MaxOutstandingR2T", v => o.MaxOutstandingR2T = v);
        SetPositive(r, "node.conn[0].iscsi.MaxRecvDataSegmentLength", v => o.MaxRecvDataSegmentLength = v);
        SetNonNegative(r, "node.session.iscsi.DefaultTime2Wait", v => o.DefaultTime2Wait = v);
        SetNonNegative(r, "node.session.iscsi.DefaultTime2Retain", v => o.DefaultTime2Retain = v);
        SetPositive(r, "node.conn[0].timeo.login_timeout", v => o.LoginTimeout = TimeSpan.FromSeconds(v));
        // open-iscsi: a noop_out_interval of 0 turns the pings off; the timeout stays a write-stall bound.
        SetNonNegative(r, "node.conn[0].timeo.noop_out_interval", v => o.NopOutInterval = TimeSpan.FromSeconds(v));
        SetPositive(r, "node.conn[0].timeo.noop_out_timeout", v => o.NopOutTimeout = TimeSpan.FromSeconds(v));
        SetNonNegative(r, "node.session.timeo.replacement_timeout", v => o.ReplacementTimeout = TimeSpan.FromSeconds(v));
        if (r.AuthMethod == "CHAP")
        {
            o.Chap = new ChapCredentials(r.Username, r.Password, r.UsernameIn, r.PasswordIn);
            var algorithms = r["node.session.auth.chap_algs"].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (algorithms.Length > 0)
                o.ChapAlgorithms = string.Join(",", algorithms.Select(ChapAlgorithmNames.ToChapA));
        }
        return o;
    }

    /// <summary>The record's portal; a host name is resolved.</summary>
    public static async Task<IPEndPoint> PortalAsync(NodeRecord r, CancellationToken ct)
    {
        var host = r.Address.Trim('[', ']');
        if (host.Length == 0)
            throw new ArgumentException("the node record has no node.conn[0].address");
        if (r.Port is <= 0 or > 65535)
            throw new ArgumentException($"the node record's port {r.Port} is not a TCP port");
        var address = IPAddress.TryParse(host, out var ip) ? ip : (await Dns.GetHostAddressesAsync(host, ct))[0];
        return new IPEndPoint(address, r.Port);
    }

    private static void SetPositive(NodeRecord r, string key, Action<int> set)
    {
        var v = r.GetInteger(key);
        if (v > 0)
            set(v);
    }

    private static void SetNonNegative(NodeRecord r, string key, Action<int> set)
    {
        var v = r.GetInteger(key);
        if (v >= 0)
            set(v);
    }
}
