using System.Text.Json.Nodes;
using SharpSan.Config;

namespace SharpSan.TargetCli.Shell;

/// <summary>LIO's TPG attribute and parameter defaults, written into every TPG the shell creates so
/// that saveconfig.json matches what LIO would dump.</summary>
internal static class TpgDefaults
{
    /// <summary>The portal auto_add_default_portal adds and portals create uses when not told: all IPs, iSCSI's port.</summary>
    public const string DefaultPortalAddress = "0.0.0.0";
    public const int DefaultPort = 3260;

    /// <summary>Attributes held by properties of the config model.</summary>
    public static readonly string[] ModelAttributes = ["authentication", "cache_dynamic_acls", "demo_mode_write_protect", "generate_node_acls"];

    /// <summary>Attributes the daemon honours, with their legal range (one table, in Config); the
    /// others are kept at LIO's value and refused by set.</summary>
    public static IReadOnlyList<LioAttribute> Honoured => LioAttributes.HonouredTpg;

    /// <summary>Every TPG attribute LIO defines, with its default and description.</summary>
    public static IReadOnlyList<LioAttribute> Attributes => LioAttributes.Tpg;

    public static readonly (string Name, string Value, string Type, string Description)[] Parameters =
    [
        ("AuthMethod", "CHAP,None", "string", "Authentication method used by the TPG."),
        ("DataDigest", "CRC32C,None", "string", "If set to CRC32C, the integrity of the PDU data part is verified."),
        ("DataPDUInOrder", "Yes", "yesno", "If set to Yes, the data PDUs within sequences must be in order."),
        ("DataSequenceInOrder", "Yes", "yesno", "If set to Yes, the data sequences must be in order."),
        ("DefaultTime2Retain", "20", "number", "Maximum time, in seconds, after an initial wait, before which an active task reassignment is still possible after an unexpected connection termination or a connection reset."),
        ("DefaultTime2Wait", "2", "number", "Minimum time, in seconds, to wait before attempting an explicit/implicit logout or an active task reassignment after an unexpected connection termination or a connection reset."),
        ("ErrorRecoveryLevel", "0", "number", "Recovery levels represent a combination of recovery capabilities."),
        ("FirstBurstLength", "65536", "number", "Maximum amount in bytes of unsolicited data an initiator may send."),
        ("HeaderDigest", "CRC32C,None", "string", "If set to CRC32C, the integrity of the PDU header part is verified."),
        ("IFMarkInt", "Reject", "string", "Deprecated according to RFC 7143."),
        ("IFMarker", "No", "yesno", "Deprecated according to RFC 7143."),
        ("ImmediateData", "Yes", "yesno", "Immediate data support."),
        ("InitialR2T", "Yes", "yesno", "If set to No, the default use of R2T (Ready To Transfer) is disabled."),
        ("MaxBurstLength", "262144", "number", "Maximum SCSI data payload in bytes in a Data-In or a solicited Data-Out iSCSI sequence."),
        ("MaxConnections", "1", "number", "Maximum number of connections acceptable."),
        ("MaxOutstandingR2T", "1", "number", "Maximum number of outstanding R2Ts per task."),
        ("MaxRecvDataSegmentLength", "8192", "number", "Maximum data segment length in bytes the target can receive in an iSCSI PDU."),
        ("MaxXmitDataSegmentLength", "262144", "number", "Outgoing MaxRecvDataSegmentLength sent over the wire during iSCSI login response."),
        ("OFMarkInt", "Reject", "string", "Deprecated according to RFC 7143."),
        ("OFMarker", "No", "yesno", "Deprecated according to RFC 7143."),
        ("TargetAlias", "LIO Target", "string", "Human-readable target name or description."),
    ];

    public static TpgConfig Create(ushort tag, bool enable)
    {
        var tpg = new TpgConfig { Tag = tag, Enable = enable, Authentication = false, GenerateNodeAcls = false, DemoModeWriteProtect = true, CacheDynamicAcls = false };
        foreach (var a in Attributes)
            if (!ModelAttributes.Contains(a.Name))
                tpg.ExtraAttributes[a.Name] = JsonValue.Create(a.Default);
        foreach (var (name, value, _, _) in Parameters)
            tpg.Parameters[name] = value;
        return tpg;
    }

    public static int GetAttribute(TpgConfig tpg, string name) => name switch
    {
        "authentication" => tpg.Authentication ? 1 : 0,
        "cache_dynamic_acls" => tpg.CacheDynamicAcls ? 1 : 0,
        "demo_mode_write_protect" => tpg.DemoModeWriteProtect ? 1 : 0,
        "generate_node_acls" => tpg.GenerateNodeAcls ? 1 : 0,
        _ => tpg.ExtraAttributes.TryGetValue(name, out var node) && node is JsonValue v && v.TryGetValue<int>(out var i)
            ? i
            : LioAttributes.FindTpg(name)?.Default ?? 0,
    };
}
