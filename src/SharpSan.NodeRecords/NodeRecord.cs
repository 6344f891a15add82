using System.Globalization;

namespace SharpSan.NodeRecords;

/// <summary>
/// A node record: one (target, portal, tpgt, iface) the initiator can log into, with every session
/// and connection setting open-iscsi keeps (see <see cref="RecordSchemas.Node"/>). Typed accessors
/// cover what a login needs; the indexer reaches every key.
/// </summary>
public sealed class NodeRecord : Record
{
    public NodeRecord() : base(RecordSchemas.Node)
    {
    }

    /// <summary>A record with the iscsid.conf defaults for a target behind a portal.</summary>
    public static NodeRecord Create(string targetName, string address, int port, int tpgt, string ifaceName = "default")
    {
        var r = new NodeRecord { TargetName = targetName, Address = address, Port = port, Tpgt = tpgt, IfaceName = ifaceName };
        return r;
    }

    public static NodeRecord Parse(string text)
    {
        var r = new NodeRecord();
        r.Load(text);
        return r;
    }

    public string TargetName { get => this["node.name"]; set => this["node.name"] = value; }
    public int Tpgt { get => GetInt("node.tpgt"); set => SetInt("node.tpgt", value); }
    public string Address { get => this["node.conn[0].address"]; set => this["node.conn[0].address"] = value; }
    public int Port { get => GetInt("node.conn[0].port"); set => SetInt("node.conn[0].port", value); }
    public string IfaceName { get => this["iface.iscsi_ifacename"]; set => this["iface.iscsi_ifacename"] = value; }
    public string TransportName { get => this["iface.transport_name"]; set => this["iface.transport_name"] = value; }
    public string Startup { get => this["node.startup"]; set => this["node.startup"] = value; }
    public string DiscoveryAddress { get => this["node.discovery_address"]; set => this["node.discovery_address"] = value; }
    public int DiscoveryPort { get => GetInt("node.discovery_port"); set => SetInt("node.discovery_port", value); }
    public string DiscoveryType { get => this["node.discovery_type"]; set => this["node.discovery_type"] = value; }
    public string AuthMethod { get => this["node.session.auth.authmethod"]; set => this["node.session.auth.authmethod"] = value; }
    public string Username { get => this["node.session.auth.username"]; set => this["node.session.auth.username"] = value; }
    public string Password { get => this["node.session.auth.password"]; set => Update("node.session.auth.password", value, []); }
    public string UsernameIn { get => this["node.session.auth.username_in"]; set => this["node.session.auth.username_in"] = value; }
    public string PasswordIn { get => this["node.session.auth.password_in"]; set => Update("node.session.auth.password_in", value, []); }
    public int NrSessions => GetInt("node.session.nr_sessions");

    /// <summary>Login-time integer settings by key, e.g. "node.conn[0].timeo.login_timeout".</summary>
    public int GetInteger(string key) => GetInt(key);

    /// <summary>"Yes"/"No" settings as booleans, e.g. "node.session.iscsi.ImmediateData".</summary>
    public bool GetYesNo(string key) => this[key] == "Yes";

    /// <summary>The portal as iscsiadm prints it in node lists: "ip:port" or "[ipv6]:port".</summary>
    public string PortalText => Portal.Format(Address, Port);

    /// <summary>The node folder name: "IP,PORT,TPGT".</summary>
    public string PortalFolderName => string.Create(CultureInfo.InvariantCulture, $"{Address},{Port},{Tpgt}");
}
