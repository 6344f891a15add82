namespace SharpSan.Protocol;

/// <summary>The RFC 7143 §13 key table: one row per key, used by the generic <see cref="Negotiator"/>.</summary>
public static class NegotiationKeys
{
    public const string HeaderDigest = "HeaderDigest";
    public const string DataDigest = "DataDigest";
    public const string MaxConnections = "MaxConnections";
    public const string SendTargets = "SendTargets";
    public const string TargetName = "TargetName";
    public const string InitiatorName = "InitiatorName";
    public const string TargetAlias = "TargetAlias";
    public const string InitiatorAlias = "InitiatorAlias";
    public const string TargetAddress = "TargetAddress";
    public const string TargetPortalGroupTag = "TargetPortalGroupTag";
    public const string InitialR2T = "InitialR2T";
    public const string ImmediateData = "ImmediateData";
    public const string MaxRecvDataSegmentLength = "MaxRecvDataSegmentLength";
    public const string MaxBurstLength = "MaxBurstLength";
    public const string FirstBurstLength = "FirstBurstLength";
    public const string DefaultTime2Wait = "DefaultTime2Wait";
    public const string DefaultTime2Retain = "DefaultTime2Retain";
    public const string MaxOutstandingR2T = "MaxOutstandingR2T";
    public const string DataPDUInOrder = "DataPDUInOrder";
    public const string DataSequenceInOrder = "DataSequenceInOrder";
    public const string ErrorRecoveryLevel = "ErrorRecoveryLevel";
    public const string SessionType = "SessionType";
    public const string AuthMethod = "AuthMethod";
    public const string TaskReporting = "TaskReporting";
    public const string IscsiProtocolLevel = "iSCSIProtocolLevel";
    public const string OFMarker = "OFMarker";
    public const string IFMarker = "IFMarker";
    public const string OFMarkInt = "OFMarkInt";
    public const string IFMarkInt = "IFMarkInt";

    private const int Max24 = 16777215; // 2^24 - 1

    private static readonly KeyDefinition[] Table =
    {
        // §13.1: list of digests, CRC32C or None.
        new(HeaderDigest, NegotiationRule.List, KeyUse.Operational, "None", Values: new[] { "CRC32C", "None" }),
        new(DataDigest, NegotiationRule.List, KeyUse.Operational, "None", Values: new[] { "CRC32C", "None" }),
        // §13.2
        new(MaxConnections, NegotiationRule.Min, KeyUse.Operational | KeyUse.LeadingOnly | KeyUse.NormalSessionOnly, "1", 1, 65535),
        // §13.4-13.6 declaratives
        new(TargetName, NegotiationRule.Declarative, KeyUse.Operational | KeyUse.Security | KeyUse.LeadingOnly | KeyUse.InitiatorOnly, ""),
        new(InitiatorName, NegotiationRule.Declarative, KeyUse.Operational | KeyUse.Security | KeyUse.LeadingOnly | KeyUse.InitiatorOnly, ""),
        new(TargetAlias, NegotiationRule.Declarative, KeyUse.Operational | KeyUse.Security | KeyUse.FullFeature | KeyUse.TargetOnly, ""),
        new(InitiatorAlias, NegotiationRule.Declarative, KeyUse.Operational | KeyUse.Security | KeyUse.FullFeature | KeyUse.InitiatorOnly, ""),
        new(TargetAddress, NegotiationRule.Declarative, KeyUse.Operational | KeyUse.Security | KeyUse.FullFeature | KeyUse.TargetOnly, ""),
        new(TargetPortalGroupTag, NegotiationRule.Declarative, KeyUse.Operational | KeyUse.Security | KeyUse.TargetOnly, "", 0, 65535),
        // §13.10, §13.11
        new(InitialR2T, NegotiationRule.Or, KeyUse.Operational | KeyUse.LeadingOnly | KeyUse.NormalSessionOnly, "Yes"),
        new(ImmediateData, NegotiationRule.And, KeyUse.Operational | KeyUse.LeadingOnly | KeyUse.NormalSessionOnly, "Yes"),
        // §13.12: declared by each side for what it receives.
        new(MaxRecvDataSegmentLength, NegotiationRule.Declarative, KeyUse.Operational, "8192", 512, Max24),
        // §13.13, §13.14
        new(MaxBurstLength, NegotiationRule.Min, KeyUse.Operational | KeyUse.LeadingOnly | KeyUse.NormalSessionOnly, "262144", 512, Max24),
        new(FirstBurstLength, NegotiationRule.Min, KeyUse.Operational | KeyUse.LeadingOnly | KeyUse.NormalSessionOnly, "65536", 512, Max24),
        // §13.15, §13.16
        new(DefaultTime2Wait, NegotiationRule.Max, KeyUse.Operational | KeyUse.LeadingOnly, "2", 0, 3600),
        new(DefaultTime2Retain, NegotiationRule.Min, KeyUse.Operational | KeyUse.LeadingOnly, "20", 0, 3600),
        // §13.17
        new(MaxOutstandingR2T, NegotiationRule.Min, KeyUse.Operational | KeyUse.LeadingOnly | KeyUse.NormalSessionOnly, "1", 1, 65535),
        // §13.18, §13.19
        new(DataPDUInOrder, NegotiationRule.Or, KeyUse.Operational | KeyUse.LeadingOnly | KeyUse.NormalSessionOnly, "Yes"),
        new(DataSequenceInOrder, NegotiationRule.Or, KeyUse.Operational | KeyUse.LeadingOnly | KeyUse.NormalSessionOnly, "Yes"),
        // §13.20
        new(ErrorRecoveryLevel, NegotiationRule.Min, KeyUse.Operational | KeyUse.LeadingOnly, "0", 0, 2),
        // §13.21
        new(SessionType, NegotiationRule.Declarative, KeyUse.Operational | KeyUse.Security | KeyUse.LeadingOnly | KeyUse.InitiatorOnly, "Normal", Values: new[] { "Discovery", "Normal" }),
        // §13.23 TaskReporting (RFC 7143 new): list RFC3720, ResponseFence, FastAbort.
        new(TaskReporting, NegotiationRule.List, KeyUse.Operational | KeyUse.LeadingOnly | KeyUse.NormalSessionOnly, "RFC3720", Values: new[] { "RFC3720" }),
        // RFC 7144 §2.1: iSCSIProtocolLevel, numerical min.
        new(IscsiProtocolLevel, NegotiationRule.Min, KeyUse.Operational | KeyUse.LeadingOnly, "1", 0, 31),
        // §12.1: AuthMethod list.
        new(AuthMethod, NegotiationRule.List, KeyUse.Security, "None", Values: new[] { "None", "CHAP" }),
    };

    private static readonly Dictionary<string, KeyDefinition> ByName = Table.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public static IReadOnlyList<KeyDefinition> All => Table;

    public static bool TryGet(string name, out KeyDefinition definition) => ByName.TryGetValue(name, out definition!);

    /// <summary>§13.26: obsolete marker keys. OF/IFMarker SHOULD be answered "Reject" and MAY be answered
    /// "No"; we answer "No", which old initiators that insist on offering them accept. OF/IFMarkInt MUST
    /// be answered "Reject". Neither may be answered NotUnderstood.</summary>
    public static bool IsObsoleteMarkerKey(string name, out string answer)
    {
        switch (name)
        {
            case OFMarker:
            case IFMarker:
                answer = "No";
                return true;
            case OFMarkInt:
            case IFMarkInt:
                answer = "Reject";
                return true;
            default:
                answer = "";
                return false;
        }
    }
}
