namespace SharpSan.Protocol;

/// <summary>
/// Login Request (RFC 7143 §11.12, opcode 0x03, initiator to target). Always sent with the I bit: the RFC
/// fixes it to 1 (§11.12), so Encode sets it and there is no Immediate property.
/// </summary>
/// <remarks>
/// Layout: byte 1 T C . . CSG NSG; Version-max 2; Version-min 3; ISID 8-13; TSIH 14-15; ITT 16; CID 20-21;
/// CmdSN 24; ExpStatSN 28 (or reserved on the first request). Bytes 22-23 and 32-47 reserved. NSG is
/// reserved when T is 0; it is written as given, so callers put 0 there.
/// </remarks>
public readonly record struct LoginRequestPdu
{
    /// <summary>T: the initiator is ready to move to <see cref="NextStage"/>.</summary>
    public bool Transit { get; init; }
    /// <summary>C: the text continues in the next PDU (§11.12.2).</summary>
    public bool Continue { get; init; }
    public LoginStage CurrentStage { get; init; }
    public LoginStage NextStage { get; init; }
    public byte VersionMax { get; init; }
    public byte VersionMin { get; init; }
    /// <summary>The 6-byte Initiator Session ID (§11.12.5), in the low 48 bits.</summary>
    public ulong Isid { get; init; }
    public ushort Tsih { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public ushort Cid { get; init; }
    /// <summary>CmdSN and ExpStatSN (bytes 24-31).</summary>
    public InitiatorSequenceNumbers Sequence { get; init; }

    public void Encode(Span<byte> bhs, int dataSegmentLength)
    {
        byte flags = (byte)((Transit ? 0x80 : 0) | (Continue ? 0x40 : 0) | (((byte)CurrentStage & 3) << 2) | ((byte)NextStage & 3));
        var b = PduFields.Begin(bhs, Opcode.LoginRequest, true, flags, dataSegmentLength);
        b[2] = VersionMax;
        b[3] = VersionMin;
        PduFields.Put(b, 8, (Isid << 16) | Tsih);
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 20, Cid);
        Sequence.WriteTo(b);
    }

    public static LoginRequestPdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static LoginRequestPdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new LoginRequestPdu
        {
            Transit = (b[1] & 0x80) != 0,
            Continue = (b[1] & 0x40) != 0,
            CurrentStage = (LoginStage)((b[1] >> 2) & 3),
            NextStage = (LoginStage)(b[1] & 3),
            VersionMax = b[2],
            VersionMin = b[3],
            Isid = PduFields.U64(b, 8) >> 16,
            Tsih = PduFields.U16(b, 14),
            InitiatorTaskTag = PduFields.U32(b, 16),
            Cid = PduFields.U16(b, 20),
            Sequence = InitiatorSequenceNumbers.Read(b),
        };
    }
}
