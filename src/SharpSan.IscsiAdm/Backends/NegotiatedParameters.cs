namespace SharpSan.IscsiAdm.Backends;

/// <summary>Values negotiated at login, printed by `-m session -P 2/3`. Null entries are left out.</summary>
public sealed record NegotiatedParameters
{
    public bool? HeaderDigest { get; init; }
    public bool? DataDigest { get; init; }
    public int? MaxRecvDataSegmentLength { get; init; }
    public int? MaxXmitDataSegmentLength { get; init; }
    public int? FirstBurstLength { get; init; }
    public int? MaxBurstLength { get; init; }
    public bool? ImmediateData { get; init; }
    public bool? InitialR2T { get; init; }
    public int? MaxOutstandingR2T { get; init; }
}
