namespace SharpSan.Scsi;

/// <summary>Compares I_T nexuses by identity (initiator port + target port), not by object.</summary>
internal sealed class ItNexusComparer : IEqualityComparer<ItNexus>
{
    public static readonly ItNexusComparer Instance = new();

    public bool Equals(ItNexus? x, ItNexus? y) => x is null ? y is null : x.SameNexusAs(y);

    public int GetHashCode(ItNexus obj) => obj.HashKey;
}
