namespace SharpSan.Protocol;

/// <summary>
/// Login Response (RFC 7143 §11.13, opcode 0x23, target to initiator). Status-Class and Status-Detail are
/// one <see cref="LoginStatus"/>; TSIH is the session's handle in the final response (§11.13.3).
/// </summary>
/// <remarks>
/// Layout: byte 1 T C . . CSG NSG; Version-max 2; Version-active 3; ISID 8-13; TSIH 14-15; ITT 16;
/// StatSN 24; ExpCmdSN 28; MaxCmdSN 32; Status-Class 36; Status-Detail 37. Bytes 20-23 and 38-47 reserved.
/// </remarks>
public readonly record struct LoginResponsePdu
{
    public bool Transit { get; init; }
    public bool Continue { get; init; }
    public LoginStage CurrentStage { get; init; }
    public LoginStage NextStage { get; init; }
    public byte VersionMax { get; init; }
    /// <summary>Version-active: 0x00 for RFC 7143 (§11.13.4).</summary>
    public byte VersionActive { get; init; }
    public ulong Isid { get; init; }
    public ushort Tsih { get; init; }
    public uint InitiatorTaskTag { get; init; }
    /// <summary>StatSN, ExpCmdSN, MaxCmdSN (bytes 24-35), stamped by the target's writer at send time.</summary>
    public TargetSequenceNumbers Sequence { get; init; }
    public LoginStatus Status { get; init; }

    public void Encode(Span<byte> bhs, int dataSegmentLength)
    {
        byte flags = (byte)((Transit ? 0x80 : 0) | (Continue ? 0x40 : 0) | (((byte)CurrentStage & 3) << 2) | ((byte)NextStage & 3));
        var b = PduFields.Begin(bhs, Opcode.LoginResponse, false, flags, dataSegmentLength);
        b[2] = VersionMax;
        b[3] = VersionActive;
        PduFields.Put(b, 8, (Isid << 16) | Tsih);
        PduFields.Put(b, 16, InitiatorTaskTag);
        Sequence.WriteTo(b);
        PduFields.Put(b, 36, (ushort)Status);
    }

    public static LoginResponsePdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static LoginResponsePdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new LoginResponsePdu
        {
            Transit = (b[1] & 0x80) != 0,
            Continue = (b[1] & 0x40) != 0,
            CurrentStage = (LoginStage)((b[1] >> 2) & 3),
            NextStage = (LoginStage)(b[1] & 3),
            VersionMax = b[2],
            VersionActive = b[3],
            Isid = PduFields.U64(b, 8) >> 16,
            Tsih = PduFields.U16(b, 14),
            InitiatorTaskTag = PduFields.U32(b, 16),
            Sequence = TargetSequenceNumbers.Read(b),
            Status = (LoginStatus)PduFields.U16(b, 36),
        };
    }
}
