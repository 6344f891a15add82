
namespace SharpSan.Target;

/// <summary>The fields of a Login Request (§11.12), copied out of the receive buffer.</summary>
internal readonly struct LoginRequestFields
{
    public LoginRequestFields(in LoginRequestPdu pdu)
    {
        Transit = pdu.Transit;
        Continue = pdu.Continue;
        CurrentStage = (int)pdu.CurrentStage;
        NextStage = (int)pdu.NextStage;
        VersionMax = pdu.VersionMax;
        VersionMin = pdu.VersionMin;
        Isid = pdu.Isid;
        Tsih = pdu.Tsih;
        Itt = pdu.InitiatorTaskTag;
        Cid = pdu.Cid;
        CmdSN = pdu.Sequence.CmdSN;
        ExpStatSN = pdu.Sequence.ExpStatSN;
    }

    public bool Transit { get; }
    public bool Continue { get; }
    public int CurrentStage { get; }
    public int NextStage { get; }
    public byte VersionMax { get; }
    public byte VersionMin { get; }
    public ulong Isid { get; }
    public ushort Tsih { get; }
    public uint Itt { get; }
    public ushort Cid { get; }
    public uint CmdSN { get; }
    public uint ExpStatSN { get; }
}
