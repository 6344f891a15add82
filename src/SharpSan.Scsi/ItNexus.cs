namespace SharpSan.Scsi;

/// <summary>
/// An I_T nexus (SAM-5 4.7): one initiator port talking to one target port over a transport. Port
/// names are the transport's (for iSCSI "InitiatorName,i,0xISID"); the target port is identified by
/// the relative target port identifier. Unit attentions and RESERVE/RELEASE reservations are kept per nexus.
/// </summary>
public sealed class ItNexus
{
    public ItNexus(string initiatorPortName, string targetPortName, ushort relativeTargetPortId, ScsiTransport transport)
    {
        Transport = transport;
        InitiatorPortName = initiatorPortName;
        TargetPortName = targetPortName;
        RelativeTargetPortId = relativeTargetPortId;
        HashKey = HashCode.Combine(
            StringComparer.Ordinal.GetHashCode(initiatorPortName),
            StringComparer.Ordinal.GetHashCode(targetPortName),
            relativeTargetPortId);
    }

    /// <summary>Precomputed hash so per-command nexus lookups do not hash strings.</summary>
    internal int HashKey { get; }

    /// <summary>True when both objects name the same I_T nexus (same initiator port and target port).</summary>
    public bool SameNexusAs(ItNexus? other) =>
        other is not null && (ReferenceEquals(this, other) ||
            (HashKey == other.HashKey &&
             RelativeTargetPortId == other.RelativeTargetPortId &&
             string.Equals(InitiatorPortName, other.InitiatorPortName, StringComparison.Ordinal) &&
             string.Equals(TargetPortName, other.TargetPortName, StringComparison.Ordinal)));

    /// <summary>e.g. "iqn.1994-05.com.redhat:host,i,0x23d000000001".</summary>
    public string InitiatorPortName { get; }

    /// <summary>e.g. "iqn.2026-11.io.sharpsan:demo,t,0x0001".</summary>
    public string TargetPortName { get; }

    /// <summary>The transport the nexus runs over (protocol identifier, version descriptor).</summary>
    public ScsiTransport Transport { get; }

    /// <summary>Relative target port identifier reported in VPD 0x83 (the TPG tag).</summary>
    public ushort RelativeTargetPortId { get; }

    public override string ToString() => InitiatorPortName;
}
