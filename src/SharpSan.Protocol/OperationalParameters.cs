namespace SharpSan.Protocol;

/// <summary>The outcome of login negotiation that the data path uses (RFC 7143 §13), with the RFC defaults
/// for keys that were not negotiated.</summary>
public sealed record OperationalParameters
{
    public bool HeaderDigest { get; init; }
    public bool DataDigest { get; init; }
    public int MaxConnections { get; init; } = 1;
    public bool InitialR2T { get; init; } = true;
    public bool ImmediateData { get; init; } = true;
    /// <summary>What we may send in one PDU: the peer's declared MaxRecvDataSegmentLength.</summary>
    public int PeerMaxRecvDataSegmentLength { get; init; } = 8192;
    /// <summary>What we accept in one PDU: our declared MaxRecvDataSegmentLength.</summary>
    public int MaxRecvDataSegmentLength { get; init; } = 8192;
    public int MaxBurstLength { get; init; } = 262144;
    public int FirstBurstLength { get; init; } = 65536;
    public int DefaultTime2Wait { get; init; } = 2;
    public int DefaultTime2Retain { get; init; } = 20;
    public int MaxOutstandingR2T { get; init; } = 1;
    public bool DataPduInOrder { get; init; } = true;
    public bool DataSequenceInOrder { get; init; } = true;
    public int ErrorRecoveryLevel { get; init; }

    /// <summary>Builds the parameters from negotiated results (<see cref="Negotiator.Results"/>) and our own
    /// declared MaxRecvDataSegmentLength.</summary>
    public static OperationalParameters From(IReadOnlyDictionary<string, string> results, int ourMaxRecvDataSegmentLength)
    {
        int Num(string key, int dflt) => results.TryGetValue(key, out var v) && Negotiator.TryParseNumber(v, out var n) ? (int)n : dflt;
        bool Bool(string key, bool dflt) => results.TryGetValue(key, out var v) ? v == "Yes" : dflt;
        var p = new OperationalParameters
        {
            HeaderDigest = results.TryGetValue(NegotiationKeys.HeaderDigest, out var hd) && hd == "CRC32C",
            DataDigest = results.TryGetValue(NegotiationKeys.DataDigest, out var dd) && dd == "CRC32C",
            MaxConnections = Num(NegotiationKeys.MaxConnections, 1),
            InitialR2T = Bool(NegotiationKeys.InitialR2T, true),
            ImmediateData = Bool(NegotiationKeys.ImmediateData, true),
            PeerMaxRecvDataSegmentLength = Num(NegotiationKeys.MaxRecvDataSegmentLength, 8192),
            MaxRecvDataSegmentLength = ourMaxRecvDataSegmentLength,
            MaxBurstLength = Num(NegotiationKeys.MaxBurstLength, 262144),
            FirstBurstLength = Num(NegotiationKeys.FirstBurstLength, 65536),
            DefaultTime2Wait = Num(NegotiationKeys.DefaultTime2Wait, 2),
            DefaultTime2Retain = Num(NegotiationKeys.DefaultTime2Retain, 20),
            MaxOutstandingR2T = Num(NegotiationKeys.MaxOutstandingR2T, 1),
            DataPduInOrder = Bool(NegotiationKeys.DataPDUInOrder, true),
            DataSequenceInOrder = Bool(NegotiationKeys.DataSequenceInOrder, true),
            ErrorRecoveryLevel = Num(NegotiationKeys.ErrorRecoveryLevel, 0),
        };
        // §13.14: FirstBurstLength MUST NOT exceed MaxBurstLength; clamp a peer that got it wrong.
        if (p.FirstBurstLength > p.MaxBurstLength) p = p with { FirstBurstLength = p.MaxBurstLength };
        return p;
    }
}
