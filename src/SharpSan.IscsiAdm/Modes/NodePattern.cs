using SharpSan.IscsiAdm.Backends;
using SharpSan.IscsiAdm.Cli;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Modes;

/// <summary>
/// __iscsi_match_session: what -T/-p/-I select. Empty fields match anything; the port only
/// counts when -p was given (it then defaults to 3260); tpgt is not compared.
/// </summary>
internal sealed record NodePattern(string TargetName, string Address, int Port, string IfaceName, int Sid = -1)
{
    public static NodePattern From(IscsiAdmOptions o)
    {
        var port = o.Port;
        if (o.PortalAddress is not null && port == -1)
            port = 3260; // ISCSI_LISTEN_PORT
        return new NodePattern(o.TargetName ?? "", o.PortalAddress ?? "", port, o.Ifaces.FirstOrDefault() ?? "");
    }

    public bool IsEmpty => TargetName.Length == 0 && Address.Length == 0 && IfaceName.Length == 0;

    public bool Matches(NodeRecord r) =>
        (TargetName.Length == 0 || TargetName == r.TargetName)
        && (Address.Length == 0 || string.Equals(Address, r.Address, StringComparison.OrdinalIgnoreCase))
        && (Port < 0 || Port == r.Port)
        && (IfaceName.Length == 0 || IfaceName == r.IfaceName);

    public bool Matches(SessionInfo s) =>
        (Sid < 0 || Sid == s.Sid)
        && (TargetName.Length == 0 || TargetName == s.TargetName)
        && (Address.Length == 0 || string.Equals(Address, s.EffectivePersistentAddress, StringComparison.OrdinalIgnoreCase)
            || string.Equals(Address, s.Address, StringComparison.OrdinalIgnoreCase))
        && (Port < 0 || Port == s.EffectivePersistentPort || Port == s.Port)
        && (IfaceName.Length == 0 || IfaceName == s.IfaceName);
}
