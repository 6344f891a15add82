using System.Globalization;
using System.Text;
using SharpSan.IscsiAdm.Backends;

namespace SharpSan.IscsiAdm.Output;

/// <summary>
/// `iscsiadm -m session [-P level]` text, after usr/session_info.c: level 0 one line per session,
/// 1 adds the iface and states, 2 timeouts, CHAP and negotiated parameters, 3 the SCSI devices.
/// </summary>
public static class SessionPrinter
{
    private const string Empty = "<empty>"; // UNKNOWN_VALUE

    public static string Format(IReadOnlyList<SessionInfo> sessions, int level, bool showSecrets, string? transportClassVersion, string programVersion)
    {
        var sb = new StringBuilder();
        if (level is 0 or -1)
        {
            foreach (var s in sessions)
                sb.Append(Inv($"{s.Transport}: [{s.Sid}] {PortalText(s.EffectivePersistentAddress, s.EffectivePersistentPort)},{s.Tpgt} {s.TargetName} ({NodeType(s)})\n"));
            return sb.ToString();
        }
        if (level == 3 && transportClassVersion is not null)
        {
            sb.Append("iSCSI Transport Class version ").Append(transportClassVersion).Append('\n');
            sb.Append("version ").Append(programVersion).Append('\n');
        }
        SessionInfo? previous = null;
        foreach (var s in sessions)
        {
            if (previous is null || previous.TargetName != s.TargetName)
            {
                sb.Append(Inv($"Target: {s.TargetName} ({NodeType(s)})\n"));
                previous = null;
            }
            if (previous is not null && previous.Address == s.Address && previous.Port == s.Port && s.Port != 0)
                sb.Append('\n');
            else
            {
                sb.Append(Inv($"\tCurrent Portal: {PortalText(s.Address, s.Port)},{s.Tpgt}\n"));
                sb.Append(Inv($"\tPersistent Portal: {PortalText(s.EffectivePersistentAddress, s.EffectivePersistentPort)},{s.Tpgt}\n"));
            }
            AppendIface(sb, s);
            sb.Append(Inv($"\t\tSID: {s.Sid}\n"));
            sb.Append($"\t\tiSCSI Connection State: {s.ConnectionState}\n");
            sb.Append($"\t\tiSCSI Session State: {s.SessionState}\n");
            sb.Append($"\t\tInternal iscsid Session State: {s.InternalSessionState}\n");
            if (level >= 2)
            {
                sb.Append("\t\t*********\n\t\tTimeouts:\n\t\t*********\n");
                sb.Append(Inv($"\t\tRecovery Timeout: {s.RecoveryTimeout}\n"));
                sb.Append("\t\tTarget Reset Timeout: ").Append(Timeout(s.TargetResetTimeout)).Append('\n');
                sb.Append("\t\tLUN Reset Timeout: ").Append(Timeout(s.LunResetTimeout)).Append('\n');
                sb.Append("\t\tAbort Timeout: ").Append(Timeout(s.AbortTimeout)).Append('\n');
                sb.Append("\t\t*****\n\t\tCHAP:\n\t\t*****\n");
                sb.Append("\t\tusername: ").Append(OrEmpty(s.Username)).Append('\n');
                sb.Append("\t\tpassword: ").Append(showSecrets ? OrEmpty(s.Password) : "********").Append('\n');
                sb.Append("\t\tusername_in: ").Append(OrEmpty(s.UsernameIn)).Append('\n');
                // open-iscsi labels the revealed incoming secret "password:" too; kept for byte compatibility.
                sb.Append(showSecrets ? "\t\tpassword: " : "\t\tpassword_in: ").Append(showSecrets ? OrEmpty(s.PasswordIn) : "********").Append('\n');
                AppendParameters(sb, s.Negotiated);
            }
            if (level >= 3)
                AppendDevices(sb, s);
            previous = s;
        }
        return sb.ToString();
    }

    private static void AppendIface(StringBuilder sb, SessionInfo s)
    {
        sb.Append("\t\t**********\n\t\tInterface:\n\t\t**********\n");
        sb.Append("\t\tIface Name: ").Append(OrEmpty(s.IfaceName)).Append('\n');
        sb.Append("\t\tIface Transport: ").Append(OrEmpty(s.Transport)).Append('\n');
        sb.Append("\t\tIface Initiatorname: ").Append(OrEmpty(s.IfaceInitiatorName)).Append('\n');
        var ip = s.IfaceIpAddress ?? "";
        sb.Append("\t\tIface IPaddress: ").Append(ip.Length == 0 ? Empty : ip.Contains('.') ? ip : $"[{ip}]").Append('\n');
        sb.Append("\t\tIface HWaddress: ").Append(OrEmpty(s.IfaceHwAddress)).Append('\n');
        sb.Append("\t\tIface Netdev: ").Append(OrEmpty(s.IfaceNetdev)).Append('\n');
    }

    private static void AppendParameters(StringBuilder sb, NegotiatedParameters p)
    {
        sb.Append("\t\t************************\n\t\tNegotiated iSCSI params:\n\t\t************************\n");
        if (p.HeaderDigest is bool hd) sb.Append("\t\tHeaderDigest: ").Append(hd ? "CRC32C" : "None").Append('\n');
        if (p.DataDigest is bool dd) sb.Append("\t\tDataDigest: ").Append(dd ? "CRC32C" : "None").Append('\n');
        if (p.MaxRecvDataSegmentLength is int mrdsl) sb.Append(Inv($"\t\tMaxRecvDataSegmentLength: {mrdsl}\n"));
        if (p.MaxXmitDataSegmentLength is int mxdsl) sb.Append(Inv($"\t\tMaxXmitDataSegmentLength: {mxdsl}\n"));
        if (p.FirstBurstLength is int fbl) sb.Append(Inv($"\t\tFirstBurstLength: {fbl}\n"));
        if (p.MaxBurstLength is int mbl) sb.Append(Inv($"\t\tMaxBurstLength: {mbl}\n"));
        if (p.ImmediateData is bool id) sb.Append("\t\tImmediateData: ").Append(id ? "Yes" : "No").Append('\n');
        if (p.InitialR2T is bool ir) sb.Append("\t\tInitialR2T: ").Append(ir ? "Yes" : "No").Append('\n');
        if (p.MaxOutstandingR2T is int mor) sb.Append(Inv($"\t\tMaxOutstandingR2T: {mor}\n"));
    }

    private static void AppendDevices(StringBuilder sb, SessionInfo s)
    {
        sb.Append("\t\t************************\n\t\tAttached SCSI devices:\n\t\t************************\n");
        if (s.HostNumber is not int host)
        {
            sb.Append("\t\tUnavailable\n");
            return;
        }
        sb.Append(Inv($"\t\tHost Number: {host}\tState: {s.HostState}\n"));
        foreach (var d in s.Devices)
        {
            sb.Append(Inv($"\t\tscsi{host} Channel 00 Id {d.TargetId} Lun: {d.Lun}\n"));
            if (d.DeviceName is not null)
                sb.Append($"\t\t\tAttached scsi disk {d.DeviceName}\t\tState: {d.State}\n");
        }
    }

    private static string NodeType(SessionInfo s) => s.IsFlash ? "flash" : "non-flash";

    private static string PortalText(string address, int port) =>
        address.Contains('.') ? Inv($"{address}:{port}") : Inv($"[{address}]:{port}");

    private static string Timeout(int value) => value >= 0 ? value.ToString(CultureInfo.InvariantCulture) : Empty;

    private static string OrEmpty(string? value) => string.IsNullOrEmpty(value) ? Empty : value;

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
