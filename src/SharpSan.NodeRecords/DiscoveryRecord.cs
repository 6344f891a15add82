namespace SharpSan.NodeRecords;

/// <summary>A sendtargets discovery record (send_targets/IP,PORT/st_config).</summary>
public sealed class DiscoveryRecord : Record
{
    public DiscoveryRecord() : base(RecordSchemas.SendTargets)
    {
    }

    public static DiscoveryRecord Create(string address, int port)
    {
        var r = new DiscoveryRecord();
        r["discovery.sendtargets.address"] = address;
        r["discovery.sendtargets.port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return r;
    }

    public static DiscoveryRecord Parse(string text)
    {
        var r = new DiscoveryRecord();
        r.Load(text);
        return r;
    }

    public string Address => this["discovery.sendtargets.address"];
    public int Port => GetInt("discovery.sendtargets.port");

    /// <summary>The credentials for the SendTargets login, or null when authmethod is None.</summary>
    public DiscoveryAuth? Auth =>
        this["discovery.sendtargets.auth.authmethod"] != "CHAP"
            ? null
            : new DiscoveryAuth(
                this["discovery.sendtargets.auth.username"],
                this["discovery.sendtargets.auth.password"],
                this["discovery.sendtargets.auth.username_in"],
                this["discovery.sendtargets.auth.password_in"],
                this["node.session.auth.chap_algs"].Split(',', StringSplitOptions.RemoveEmptyEntries));
}
