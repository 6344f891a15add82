namespace SharpSan.NodeRecords;

/// <summary>
/// The node and sendtargets discovery record layouts of open-iscsi 2.1.8 (libopeniscsiusr/idbm.c
/// _idbm_node_rec_link, usr/idbm.c idbm_recinfo_discovery) with the defaults a stock
/// /etc/iscsi/iscsid.conf yields (node.startup manual, initial_login_retry_max 8,
/// xmit_thread_priority -20, replacement_timeout 120, login/logout timeout 15, ...).
/// Only the IPv4 iface branch exists: SharpSAN ifaces are software tcp ifaces.
/// </summary>
public static class RecordSchemas
{
    public static readonly string[] NoYes = ["No", "Yes"];
    public static readonly string[] Startup = ["manual", "automatic", "onboot"];
    public static readonly string[] AuthMethods = ["None", "CHAP"];
    public static readonly string[] Digests = ["None", "CRC32C", "CRC32C,None", "None,CRC32C"];
    public static readonly string[] ChapAlgorithms = ["MD5", "SHA1", "SHA256", "SHA3-256"];
    public static readonly string[] DiscoveryTypes = ["send_targets", "isns", "offload_send_targets", "slp", "static", "fw"];

    public static RecordSchema Node { get; } = new(BuildNode());

    public static RecordSchema SendTargets { get; } = new(BuildSendTargets());

    private static RecordKey Text(string name, string def = "", bool mod = true) => new(name, RecordKeyKind.Text, def, mod);
    private static RecordKey Int(string name, long def, bool mod = true) => new(name, RecordKeyKind.Integer, def.ToString(System.Globalization.CultureInfo.InvariantCulture), mod);
    private static RecordKey Choice(string name, string[] choices, string def, bool mod = true) => new(name, RecordKeyKind.Choice, def, mod, RecordKeyVisibility.Show, choices);
    private static RecordKey Secret(string name) => new(name, RecordKeyKind.Text, "", true, RecordKeyVisibility.Masked);
    private static RecordKey Hidden(string name) => new(name, RecordKeyKind.Integer, "0", true, RecordKeyVisibility.Hide);

    /// <summary>The CHAP keys under <paramref name="prefix"/> (the node's session and a discovery record
    /// share their layout): method, user and secret each way, and each secret's hidden length.</summary>
    private static RecordKey[] Auth(string prefix) =>
    [
        Choice(prefix + ".authmethod", AuthMethods, "None"),
        Text(prefix + ".username"),
        Secret(prefix + ".password"),
        Hidden(prefix + ".password_length"),
        Text(prefix + ".username_in"),
        Secret(prefix + ".password_in"),
        Hidden(prefix + ".password_in_length"),
    ];

    private static RecordKey ChapAlgs() => new("node.session.auth.chap_algs", RecordKeyKind.ChoiceList, "MD5", true, RecordKeyVisibility.Show, ChapAlgorithms);

    private static List<RecordKey> BuildNode()
    {
        List<RecordKey> k =
        [
            Text("node.name", mod: false),
            Int("node.tpgt", -1, mod: false),
            Choice("node.startup", Startup, "manual"),
            Choice("node.leading_login", NoYes, "No"),
            // _idbm_iface_rec_link, IPv4 branch
            Text("iface.iscsi_ifacename", "default"),
            Text("iface.net_ifacename"),
            Text("iface.ipaddress"),
            Int("iface.prefix_len", 0),
            Text("iface.hwaddress"),
            Text("iface.transport_name", "tcp"),
            Text("iface.initiatorname"),
            Text("iface.state"),
            Int("iface.vlan_id", 0),
            Int("iface.vlan_priority", 0),
            Text("iface.vlan_state"),
            Int("iface.iface_num", 0),
            Int("iface.mtu", 0),
            Int("iface.port", 0),
            Text("iface.bootproto"),
            Text("iface.subnet_mask"),
            Text("iface.gateway"),
            Text("iface.dhcp_alt_client_id_state"),
            Text("iface.dhcp_alt_client_id"),
            Text("iface.dhcp_dns"),
            Text("iface.dhcp_learn_iqn"),
            Text("iface.dhcp_req_vendor_id_state"),
            Text("iface.dhcp_vendor_id_state"),
            Text("iface.dhcp_vendor_id"),
            Text("iface.dhcp_slp_da"),
            Text("iface.fragmentation"),
            Text("iface.gratuitous_arp"),
            Text("iface.incoming_forwarding"),
            Text("iface.tos_state"),
            Int("iface.tos", 0),
            Int("iface.ttl", 0),
            Text("iface.delayed_ack"),
            Text("iface.tcp_nagle"),
            Text("iface.tcp_wsf_state"),
            Int("iface.tcp_wsf", 0),
            Int("iface.tcp_timer_scale", 0),
            Text("iface.tcp_timestamp"),
            Text("iface.redirect"),
            Int("iface.def_task_mgmt_timeout", 0),
            Text("iface.header_digest"),
            Text("iface.data_digest"),
            Text("iface.immediate_data"),
            Text("iface.initial_r2t"),
            Text("iface.data_seq_inorder"),
            Text("iface.data_pdu_inorder"),
            Int("iface.erl", 0),
            Int("iface.max_receive_data_len", 0),
            Int("iface.first_burst_len", 0),
            Int("iface.max_outstanding_r2t", 0),
            Int("iface.max_burst_len", 0),
            Text("iface.chap_auth"),
            Text("iface.bidi_chap"),
            Text("iface.strict_login_compliance"),
            Text("iface.discovery_auth"),
            Text("iface.discovery_logout"),
            // node
            Text("node.discovery_address", mod: false),
            Int("node.discovery_port", 0, mod: false),
            Choice("node.discovery_type", DiscoveryTypes, "static", mod: false),
            Int("node.session.initial_cmdsn", 0),
            Int("node.session.initial_login_retry_max", 8),
            Int("node.session.xmit_thread_priority", -20),
            Int("node.session.cmds_max", 128),
            Int("node.session.queue_depth", 32),
            Int("node.session.nr_sessions", 1),
            ..Auth("node.session.auth"),
            ChapAlgs(),
            Int("node.session.timeo.replacement_timeout", 120),
            Int("node.session.err_timeo.abort_timeout", 15),
            Int("node.session.err_timeo.lu_reset_timeout", 30),
            Int("node.session.err_timeo.tgt_reset_timeout", 30),
            Int("node.session.err_timeo.host_reset_timeout", 60),
            Choice("node.session.iscsi.FastAbort", NoYes, "Yes"),
            Choice("node.session.iscsi.InitialR2T", NoYes, "No"),
            Choice("node.session.iscsi.ImmediateData", NoYes, "Yes"),
            Int("node.session.iscsi.FirstBurstLength", 262144),
            Int("node.session.iscsi.MaxBurstLength", 16776192),
            Int("node.session.iscsi.DefaultTime2Retain", 0),
            Int("node.session.iscsi.DefaultTime2Wait", 2),
            Int("node.session.iscsi.MaxConnections", 1),
            Int("node.session.iscsi.MaxOutstandingR2T", 1),
            Int("node.session.iscsi.ERL", 0),
            Choice("node.session.scan", ["manual", "auto"], "auto"),
            Int("node.session.reopen_max", 0),
            // node.conn[0] (ISCSI_CONN_MAX is 1)
            Text("node.conn[0].address", mod: false),
            Int("node.conn[0].port", 3260, mod: false),
            Choice("node.conn[0].startup", Startup, "manual"),
            Int("node.conn[0].tcp.window_size", 524288),
            Int("node.conn[0].tcp.type_of_service", 0),
            Int("node.conn[0].timeo.logout_timeout", 15),
            Int("node.conn[0].timeo.login_timeout", 15),
            Int("node.conn[0].timeo.auth_timeout", 45),
            Int("node.conn[0].timeo.noop_out_interval", 5),
            Int("node.conn[0].timeo.noop_out_timeout", 5),
            Int("node.conn[0].iscsi.MaxXmitDataSegmentLength", 0),
            Int("node.conn[0].iscsi.MaxRecvDataSegmentLength", 262144),
            Choice("node.conn[0].iscsi.HeaderDigest", Digests, "None"),
            Choice("node.conn[0].iscsi.DataDigest", Digests, "None"),
            Choice("node.conn[0].iscsi.IFMarker", NoYes, "No"),
            Choice("node.conn[0].iscsi.OFMarker", NoYes, "No"),
        ];
        return k;
    }

    private static List<RecordKey> BuildSendTargets() =>
    [
        Choice("discovery.startup", ["manual", "automatic"], "manual"),
        Choice("discovery.type", ["sendtargets", "isns", "offload_send_targets", "slp", "static", "fw"], "sendtargets", mod: false),
        Text("discovery.sendtargets.address", mod: false),
        Int("discovery.sendtargets.port", 3260, mod: false),
        ..Auth("discovery.sendtargets.auth"),
        ChapAlgs(), // open-iscsi reuses the node key here
        Int("discovery.sendtargets.timeo.login_timeout", 15),
        Choice("discovery.sendtargets.use_discoveryd", NoYes, "No"),
        Int("discovery.sendtargets.discoveryd_poll_inval", 30),
        Int("discovery.sendtargets.reopen_max", 5),
        Int("discovery.sendtargets.timeo.auth_timeout", 45),
        Int("discovery.sendtargets.timeo.active_timeout", 30),
        Int("discovery.sendtargets.iscsi.MaxRecvDataSegmentLength", 32768),
    ];
}
