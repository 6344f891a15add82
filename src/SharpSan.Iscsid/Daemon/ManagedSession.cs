using System.Globalization;
using SharpSan.Initiator;
using SharpSan.Iscsid.Protocol;
using SharpSan.NodeRecords;

namespace SharpSan.Iscsid.Daemon;

/// <summary>One session iscsid holds: its sid, the node record it came from and the devices attached to its LUNs.</summary>
internal sealed class ManagedSession
{
    public ManagedSession(int sid, IscsiSession session, NodeRecord record, int? hostNumber)
    {
        Sid = sid;
        Session = session;
        Record = record;
        HostNumber = hostNumber;
    }

    public int Sid { get; }
    public IscsiSession Session { get; }
    public NodeRecord Record { get; }
    public int? HostNumber { get; }
    public List<DeviceFacts> Devices { get; } = [];

    /// <summary>The session's identity for "already present": target, record portal, iface.</summary>
    public string Key => KeyOf(Record);

    public static string KeyOf(NodeRecord r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.TargetName}\n{r.Address.ToLowerInvariant()}\n{r.Port}\n{r.IfaceName}");

    public SessionFacts ToFacts()
    {
        var s = Session;
        var connected = s.IsConnected;
        var tpgt = s.TargetPortalGroupTag >= 0 ? s.TargetPortalGroupTag : Record.Tpgt;
        lock (Devices)
        {
            return new SessionFacts
            {
                Sid = Sid,
                TargetName = s.TargetName,
                Address = s.ConnectedPortal.Address.ToString(),
                Port = s.ConnectedPortal.Port,
                Tpgt = tpgt,
                PersistentAddress = Record.Address,
                PersistentPort = Record.Port,
                IfaceName = Record.IfaceName,
                Transport = Record.TransportName.Length > 0 ? Record.TransportName : "tcp",
                InitiatorName = s.InitiatorName,
                LocalAddress = s.LocalEndPoint?.Address.ToString(),
                // open-iscsi's words while the kernel waits for a new connection: TRANSPORT WAIT / FAILED / REOPEN.
                ConnectionState = connected ? "LOGGED IN" : "TRANSPORT WAIT",
                SessionState = connected ? "LOGGED_IN" : "FAILED",
                InternalState = connected ? "NO CHANGE" : "REOPEN",
                RecoveryTimeout = Record.GetInteger("node.session.timeo.replacement_timeout"),
                TargetResetTimeout = Record.GetInteger("node.session.err_timeo.tgt_reset_timeout"),
                LunResetTimeout = Record.GetInteger("node.session.err_timeo.lu_reset_timeout"),
                AbortTimeout = Record.GetInteger("node.session.err_timeo.abort_timeout"),
                Username = Record.AuthMethod == "CHAP" ? Record.Username : "",
                Password = Record.AuthMethod == "CHAP" ? Record.Password : "",
                UsernameIn = Record.AuthMethod == "CHAP" ? Record.UsernameIn : "",
                PasswordIn = Record.AuthMethod == "CHAP" ? Record.PasswordIn : "",
                Negotiated = s.Parameters.ToKeyValues().ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
                HostNumber = HostNumber,
                Devices = [.. Devices],
            };
        }
    }
}
