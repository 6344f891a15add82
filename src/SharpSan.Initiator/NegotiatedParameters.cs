using System.Globalization;
using SharpSan.Protocol;

namespace SharpSan.Initiator;

/// <summary>
/// The outcome of login negotiation, every key with its value (what iscsiadm's "Negotiated iSCSI
/// params" shows). Keys the target rejected or did not understand keep their RFC 7143 §13 defaults.
/// </summary>
public sealed record NegotiatedParameters
{
    public bool HeaderDigest { get; init; }
    public bool DataDigest { get; init; }
    public int MaxConnections { get; init; } = 1;
    public bool InitialR2T { get; init; } = true;
    public bool ImmediateData { get; init; } = true;
    /// <summary>Ours: what the target may send us per PDU.</summary>
    public int MaxRecvDataSegmentLength { get; init; } = 8192;
    /// <summary>The target's declared MaxRecvDataSegmentLength: what we may send per PDU.</summary>
    public int MaxXmitDataSegmentLength { get; init; } = 8192;
    public int FirstBurstLength { get; init; } = 65536;
    public int MaxBurstLength { get; init; } = 262144;
    public int MaxOutstandingR2T { get; init; } = 1;
    public int DefaultTime2Wait { get; init; } = 2;
    public int DefaultTime2Retain { get; init; } = 20;
    public bool DataPduInOrder { get; init; } = true;
    public bool DataSequenceInOrder { get; init; } = true;
    public int ErrorRecoveryLevel { get; init; }
    public string TargetAlias { get; init; } = "";
    public int TargetPortalGroupTag { get; init; } = -1;

    internal static NegotiatedParameters From(IReadOnlyDictionary<string, string> r, int ourMrdsl)
    {
        int Num(string key, int dflt) => r.TryGetValue(key, out var v) && Negotiator.TryParseNumber(v, out var n) ? (int)n : dflt;
        bool Bool(string key, bool dflt) => r.TryGetValue(key, out var v) ? v == "Yes" : dflt;
        var p = new NegotiatedParameters
        {
            HeaderDigest = r.GetValueOrDefault(NegotiationKeys.HeaderDigest) == "CRC32C",
            DataDigest = r.GetValueOrDefault(NegotiationKeys.DataDigest) == "CRC32C",
            MaxConnections = Num(NegotiationKeys.MaxConnections, 1),
            InitialR2T = Bool(NegotiationKeys.InitialR2T, true),
            ImmediateData = Bool(NegotiationKeys.ImmediateData, true),
            MaxRecvDataSegmentLength = ourMrdsl,
            MaxXmitDataSegmentLength = Num(NegotiationKeys.MaxRecvDataSegmentLength, 8192),
            FirstBurstLength = Num(NegotiationKeys.FirstBurstLength, 65536),
            MaxBurstLength = Num(NegotiationKeys.MaxBurstLength, 262144),
            MaxOutstandingR2T = Num(NegotiationKeys.MaxOutstandingR2T, 1),
            DefaultTime2Wait = Num(NegotiationKeys.DefaultTime2Wait, 2),
            DefaultTime2Retain = Num(NegotiationKeys.DefaultTime2Retain, 20),
            DataPduInOrder = Bool(NegotiationKeys.DataPDUInOrder, true),
            DataSequenceInOrder = Bool(NegotiationKeys.DataSequenceInOrder, true),
            ErrorRecoveryLevel = Num(NegotiationKeys.ErrorRecoveryLevel, 0),
            TargetAlias = r.GetValueOrDefault(NegotiationKeys.TargetAlias) ?? "",
            TargetPortalGroupTag = Num(NegotiationKeys.TargetPortalGroupTag, -1),
        };
        // §13.14: FirstBurstLength MUST NOT exceed MaxBurstLength.
        if (p.FirstBurstLength > p.MaxBurstLength) p = p with { FirstBurstLength = p.MaxBurstLength };
        return p;
    }

    /// <summary>Key=value lines in RFC key names, in table order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToKeyValues()
    {
        static string B(bool b) => b ? "Yes" : "No";
        static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        return new List<KeyValuePair<string, string>>
        {
            new(NegotiationKeys.HeaderDigest, HeaderDigest ? "CRC32C" : "None"),
            new(NegotiationKeys.DataDigest, DataDigest ? "CRC32C" : "None"),
            new(NegotiationKeys.MaxRecvDataSegmentLength, N(MaxRecvDataSegmentLength)),
            new("MaxXmitDataSegmentLength", N(MaxXmitDataSegmentLength)),
            new(NegotiationKeys.FirstBurstLength, N(FirstBurstLength)),
            new(NegotiationKeys.MaxBurstLength, N(MaxBurstLength)),
            new(NegotiationKeys.ImmediateData, B(ImmediateData)),
            new(NegotiationKeys.InitialR2T, B(InitialR2T)),
            new(NegotiationKeys.MaxOutstandingR2T, N(MaxOutstandingR2T)),
            new(NegotiationKeys.MaxConnections, N(MaxConnections)),
            new(NegotiationKeys.DefaultTime2Wait, N(DefaultTime2Wait)),
            new(NegotiationKeys.DefaultTime2Retain, N(DefaultTime2Retain)),
            new(NegotiationKeys.DataPDUInOrder, B(DataPduInOrder)),
            new(NegotiationKeys.DataSequenceInOrder, B(DataSequenceInOrder)),
            new(NegotiationKeys.ErrorRecoveryLevel, N(ErrorRecoveryLevel)),
        };
    }
}
