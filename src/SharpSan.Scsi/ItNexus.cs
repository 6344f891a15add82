namespace SharpSan.Scsi;

/// <summary>
/// An I_T nexus (SAM-5 4.7): one initiator port talking to one target port. For iSCSI the initiator
/// port name is "InitiatorName,i,0xISID" and the target port is identified by the relative target
/// port identifier (the TPG tag). Unit attentions and RESERVE/RELEASE reservations are kept per nexus.
/// </summary>
public sealed class ItNexus
{
    public ItNexus(string initiatorPortName, string targetPortName, ushort relativeTargetPortId)
    {
        InitiatorPortName = initiatorPortName;
        TargetPortName = targetPortName;
        RelativeTargetPortId = relativeTargetPortId;
    }

    /// <summary>e.g. "iqn.1994-05.com.redhat:host,i,0x23d000000001".</summary>
    public string InitiatorPortName { get; }

    /// <summary>e.g. "iqn.2026-11.io.sharpsan:demo,t,0x0001".</summary>
    public string TargetPortName { get; }

    /// <summary>Relative target port identifier reported in VPD 0x83 (the TPG tag).</summary>
    public ushort RelativeTargetPortId { get; }

    public override string ToString() => InitiatorPortName;
}
