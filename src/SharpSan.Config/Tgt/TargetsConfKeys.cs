namespace SharpSan.Config.Tgt;

/// <summary>
/// The keys scripts/tgt-admin acts on, by where they may appear. tgt-admin skips a key it does not
/// know; here an unknown key is an error naming its line, since a misspelt "initiator-address"
/// would otherwise open a target to everyone.
/// </summary>
public static class TargetsConfKeys
{
    /// <summary>Outside any block (tgt-admin add_targets).</summary>
    public static readonly IReadOnlySet<string> Global = new HashSet<string>(StringComparer.Ordinal)
    {
        "default-driver", "ignore-errors", "control-port", "iSNS", "iSNSServerIP", "iSNSServerPort", "iSNSAccessControl",
        "incomingdiscoveryuser", "outgoingdiscoveryuser",
    };

    /// <summary>The iSCSI keys a target may set (tgt-admin process_options: they become
    /// `tgtadm --op update --mode target --name KEY`).</summary>
    public static readonly IReadOnlySet<string> Iscsi = new HashSet<string>(StringComparer.Ordinal)
    {
        "MaxRecvDataSegmentLength", "MaxXmitDataSegmentLength", "HeaderDigest", "DataDigest", "InitialR2T",
        "MaxOutstandingR2T", "ImmediateData", "FirstBurstLength", "MaxBurstLength", "DataPDUInOrder",
        "DataSequenceInOrder", "ErrorRecoveryLevel", "IFMarker", "OFMarker", "DefaultTime2Wait",
        "DefaultTime2Retain", "OFMarkInt", "IFMarkInt", "MaxConnections",
    };

    /// <summary>LUN settings: in a &lt;backing-store&gt; block, or in the target for all its LUNs
    /// (tgt-admin add_backing_direct and add_params).</summary>
    public static readonly IReadOnlySet<string> Lun = new HashSet<string>(StringComparer.Ordinal)
    {
        "lun", "write-cache", "scsi_id", "scsi_sn", "vendor_id", "product_id", "product_rev", "sense_format",
        "removable", "online", "path", "mode_page", "lbppbe", "la_lba", "optimal_xfer_gran", "optimal_xfer_len",
        "readonly", "device-type", "bs-type", "bsopts", "bsoflags", "block-size", "params", "allow-in-use",
    };

    /// <summary>Target-only keys (besides <see cref="Lun"/> and <see cref="Iscsi"/>).</summary>
    public static readonly IReadOnlySet<string> Target = new HashSet<string>(StringComparer.Ordinal)
    {
        "backing-store", "direct-store", "initiator-address", "initiator-name", "incominguser", "outgoinguser",
        "driver", "controller_tid",
    };

    /// <summary>Keys tgt-admin takes more than once (an array in its parser); any other key given twice
    /// in one place is refused ("Multiple '...' definitions ... not allowed!").</summary>
    public static readonly IReadOnlySet<string> Repeatable = new HashSet<string>(StringComparer.Ordinal)
    {
        "backing-store", "direct-store", "initiator-address", "initiator-name", "incominguser", "outgoinguser",
        "mode_page", "params", "include",
    };

    /// <summary>tgt-admin's ^state match: "state" and anything it starts.</summary>
    public static bool IsTargetKey(string key)
        => Target.Contains(key) || Lun.Contains(key) || Iscsi.Contains(key) || key.StartsWith("state", StringComparison.Ordinal);
}
