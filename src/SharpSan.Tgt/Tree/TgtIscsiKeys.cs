using SharpSan.Config;

namespace SharpSan.Tgt.Tree;

/// <summary>
/// The per-target iSCSI keys tgtadm sets with `--op update --mode target -n KEY -v VALUE` and shows
/// with `--op show --mode target --tid N` (usr/iscsi/param.c session_keys, with the target defaults
/// of usr/iscsi/target.c iscsi_target_create). A value set is kept in the TPG's LIO "parameters",
/// which the daemon offers in negotiation; MaxQueueCmd is LIO's default_cmdsn_depth attribute.
/// </summary>
internal static class TgtIscsiKeys
{
    private enum Kind { Minimum, MinOrZero, Maximum, Bool, Digest, Marker }

    private sealed record Key(string Name, uint Default, uint Min, uint Max, Kind Kind);

    /// <summary>In tgt's order (the order `--op show --mode target --tid N` prints them), with the
    /// values a new tgt target starts with.</summary>
    private static readonly Key[] Keys =
    [
        new("MaxRecvDataSegmentLength", 8192, 512, 16777215, Kind.Minimum),
        new("HeaderDigest", DigestNone, DigestNone, DigestNone | DigestCrc32C, Kind.Digest),
        new("DataDigest", DigestNone, DigestNone, DigestNone | DigestCrc32C, Kind.Digest),
        new("InitialR2T", 1, 0, 1, Kind.Bool),
        new("MaxOutstandingR2T", 1, 1, 65535, Kind.Minimum),
        new("ImmediateData", 1, 0, 1, Kind.Bool),
        new("FirstBurstLength", 65536, 512, 16777215, Kind.Minimum),
        new("MaxBurstLength", 262144, 512, 16777215, Kind.Minimum),
        new("DataPDUInOrder", 1, 0, 1, Kind.Bool),
        new("DataSequenceInOrder", 1, 0, 1, Kind.Bool),
        new("ErrorRecoveryLevel", 0, 0, 2, Kind.Minimum),
        new("IFMarker", 0, 0, 1, Kind.Bool),
        new("OFMarker", 0, 0, 1, Kind.Bool),
        new("DefaultTime2Wait", 2, 0, 3600, Kind.Maximum),
        new("DefaultTime2Retain", 20, 0, 3600, Kind.Minimum),
        new("OFMarkInt", 2048, 1, 65535, Kind.Marker),
        new("IFMarkInt", 2048, 1, 65535, Kind.Marker),
        new("MaxConnections", 1, 1, 65535, Kind.Minimum),
        new("RDMAExtensions", 1, 0, 1, Kind.Bool),
        new("TargetRecvDataSegmentLength", 262144, 512, 16777215, Kind.Minimum),
        new("InitiatorRecvDataSegmentLength", 262144, 512, 16777215, Kind.Minimum),
        new("MaxOutstandingUnexpectedPDUs", 0, 2, 4294967295, Kind.MinOrZero),
        new("MaxXmitDataSegmentLength", 8192, 512, 16777215, Kind.Minimum),
        new("MaxQueueCmd", 128, 1, 512, Kind.Minimum),
    ];

    private const uint DigestNone = 1;
    private const uint DigestCrc32C = 2;
    private const string MaxQueueCmd = "MaxQueueCmd";
    private const string CmdsnDepth = "default_cmdsn_depth";

    /// <summary>The key's canonical name when <paramref name="name"/> is one (tgt compares names
    /// ignoring case: param_index_by_name uses strcasecmp).</summary>
    public static string? Canonical(string name) => Keys.FirstOrDefault(k => k.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Name;

    /// <summary>
    /// Sets <paramref name="name"/> on <paramref name="tpg"/> as tgt accepts it (param_str_to_val,
    /// param_check_val): numbers through strtol (base 0) and within the key's range, booleans exactly
    /// "Yes"/"No", digests a list of "None"/"CRC32C" (tgt always keeps None acceptable). Returns false
    /// when tgt would answer "invalid request".
    /// </summary>
    public static bool TrySet(TpgConfig tpg, string name, string value)
    {
        var key = Keys.First(k => k.Name == name);
        switch (key.Kind)
        {
            case Kind.Bool:
                if (value is not ("Yes" or "No")) return false;
                tpg.Parameters[key.Name] = value;
                return true;
            case Kind.Digest:
                var crc = false;
                foreach (var part in value.Split(','))
                {
                    // usr/iscsi/param.c digest_str_to_val compares prefixes ("None" / "CRC32C").
                    if (part.StartsWith("CRC32C", StringComparison.Ordinal)) crc = true;
                    else if (!part.StartsWith("None", StringComparison.Ordinal)) return false;
                }
                tpg.Parameters[key.Name] = crc ? "CRC32C,None" : "None";
                return true;
            case Kind.Marker:
                // tgt keeps no value for the marker intervals (markers are never used); accepted as is.
                return true;
            default:
                var n = Strtol(value);
                var ok = key.Kind == Kind.MinOrZero ? n == 0 || (n >= key.Min && n <= key.Max) : n >= key.Min && n <= key.Max;
                if (!ok) return false;
                if (key.Name == MaxQueueCmd)
                    tpg.ExtraAttributes[CmdsnDepth] = System.Text.Json.Nodes.JsonValue.Create((int)n);
                else
                    tpg.Parameters[key.Name] = n.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return true;
        }
    }

    /// <summary>The "KEY=VALUE" lines of `tgtadm --op show --mode target --tid N` (after nop_interval
    /// and nop_count): tgt's defaults, overridden by what the TPG sets.</summary>
    public static IEnumerable<string> Lines(TpgConfig tpg)
    {
        foreach (var key in Keys)
        {
            string text;
            if (key.Name == MaxQueueCmd)
                text = LioAttributes.DefaultCmdsnDepth.ValueIn(tpg.ExtraAttributes)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "128";
            else if (key.Kind == Kind.Marker)
                text = "Reject";
            else if (tpg.Parameters.TryGetValue(key.Name, out var set))
                text = key.Kind == Kind.Digest ? (set.Contains("CRC32C", StringComparison.Ordinal) ? "CRC32C" : "None") : set;
            else
                text = key.Kind switch
                {
                    Kind.Bool => key.Default == 1 ? "Yes" : "No",
                    Kind.Digest => "None",
                    _ => key.Default.ToString(System.Globalization.CultureInfo.InvariantCulture),
                };
            yield return $"{key.Name}={text}";
        }
    }

    /// <summary>C's strtol(text, NULL, 0) as tgt reads an iSCSI number: 0 when no digit, saturated at
    /// the long range, then seen as an unsigned int (negative numbers wrap and fail the range check).</summary>
    private static uint Strtol(string text)
    {
        if (!Tgtadm.TgtNumber.StrToULL(text, out var v)) return 0;
        var negative = text.TrimStart().StartsWith('-');
        long l = negative ? unchecked((long)v) : (v > long.MaxValue ? long.MaxValue : (long)v);
        return unchecked((uint)l);
    }
}
