namespace SharpSan.Config;

/// <summary>
/// The TPG and ACL attributes LIO defines, each once: names, defaults and ranges. The validator
/// checks every one present in a tree against it, the daemon reads the ones it honours through it,
/// and targetcli lists and sets them from it.
/// </summary>
public static class LioAttributes
{
    // TPG attributes (iscsi_target_core.h TA_*; iscsi_target_tpg.c iscsit_ta_*).
    public static readonly LioAttribute Authentication = new("authentication", 0, 0, 1, "If set to 1, enforce authentication for this TPG.");
    public static readonly LioAttribute CacheDynamicAcls = new("cache_dynamic_acls", 0, 0, 1, "If set to 1 in demo mode, cache dynamically generated ACLs.");
    public static readonly LioAttribute DefaultCmdsnDepth = new("default_cmdsn_depth", 64, 1, 512, "Default CmdSN (Command Sequence Number) depth.");
    public static readonly LioAttribute TpgDefaultErl = new("default_erl", 0, 0, 2, "Default Error Recovery Level.");
    public static readonly LioAttribute DemoModeDiscovery = new("demo_mode_discovery", 1, 0, 1, "If set to 1 in demo mode, enable discovery.");
    public static readonly LioAttribute DemoModeWriteProtect = new("demo_mode_write_protect", 1, 0, 1, "If set to 1 in demo mode, prevent writes to LUNs.");
    public static readonly LioAttribute GenerateNodeAcls = new("generate_node_acls", 0, 0, 1, "If set to 1, allow all initiators to login (i.e. demo mode).");
    public static readonly LioAttribute LoginTimeout = new("login_timeout", 15, 5, 30, "Login timeout value in seconds.");
    public static readonly LioAttribute NetifTimeout = new("netif_timeout", 2, 2, 15, "NIC failure timeout in seconds.");
    public static readonly LioAttribute ProdModeWriteProtect = new("prod_mode_write_protect", 0, 0, 1, "If set to 1, prevent writes to LUNs.");
    public static readonly LioAttribute T10Pi = new("t10_pi", 0, 0, 1, "If set to 1, enable T10 Protection Information.");
    public static readonly LioAttribute TpgEnabledSendTargets = new("tpg_enabled_sendtargets", 1, 0, 1, "If set to 1, the SendTargets discovery response advertises the TPG only if the TPG is enabled.");

    // ACL attributes (iscsi_target_core.h NA_*; iscsi_target_nodeattrib.c).
    public static readonly LioAttribute DataOutTimeout = new("dataout_timeout", 3, 2, 60, "Data-Out timeout in seconds.");
    public static readonly LioAttribute DataOutTimeoutRetries = new("dataout_timeout_retries", 5, 1, 15, "Data-Out timeout retries.");
    public static readonly LioAttribute AclDefaultErl = new("default_erl", 0, 0, 2, "Default Error Recovery Level.");
    public static readonly LioAttribute NopInResponseTimeout = new("nopin_response_timeout", 30, 3, 60, "NOP-In response timeout in seconds.");
    public static readonly LioAttribute NopInTimeout = new("nopin_timeout", 15, 3, 60, "NOP-In interval in seconds.");
    public static readonly LioAttribute RandomDataInPduOffsets = new("random_datain_pdu_offsets", 0, 0, 1, "Random Data-In PDU offsets.");
    public static readonly LioAttribute RandomDataInSeqOffsets = new("random_datain_seq_offsets", 0, 0, 1, "Random Data-In sequence offsets.");
    public static readonly LioAttribute RandomR2tOffsets = new("random_r2t_offsets", 0, 0, 1, "Random R2T offsets.");

    /// <summary>Every TPG attribute, in LIO's (alphabetical) order.</summary>
    public static readonly IReadOnlyList<LioAttribute> Tpg =
    [
        Authentication, CacheDynamicAcls, DefaultCmdsnDepth, TpgDefaultErl, DemoModeDiscovery, DemoModeWriteProtect,
        GenerateNodeAcls, LoginTimeout, NetifTimeout, ProdModeWriteProtect, T10Pi, TpgEnabledSendTargets,
    ];

    /// <summary>TPG attributes the daemon acts on; the others are kept at their value and saved.</summary>
    public static readonly IReadOnlyList<LioAttribute> HonouredTpg =
    [
        Authentication, CacheDynamicAcls, DemoModeWriteProtect, GenerateNodeAcls, DefaultCmdsnDepth, DemoModeDiscovery, ProdModeWriteProtect,
    ];

    /// <summary>Every ACL attribute, in LIO's order.</summary>
    public static readonly IReadOnlyList<LioAttribute> NodeAcl =
    [
        DataOutTimeout, DataOutTimeoutRetries, AclDefaultErl, NopInResponseTimeout, NopInTimeout,
        RandomDataInPduOffsets, RandomDataInSeqOffsets, RandomR2tOffsets,
    ];

    public static LioAttribute? FindTpg(string name) => Tpg.FirstOrDefault(a => a.Name == name);
    public static LioAttribute? FindNodeAcl(string name) => NodeAcl.FirstOrDefault(a => a.Name == name);
}
