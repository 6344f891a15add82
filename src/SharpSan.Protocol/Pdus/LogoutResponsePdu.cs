namespace SharpSan.Protocol;

/// <summary>
/// Logout Response (RFC 7143 §11.15, opcode 0x26, target to initiator). No data segment.
/// </summary>
/// <remarks>
/// Layout: byte 1 1; Response 2; ITT 16; StatSN 24; ExpCmdSN 28; MaxCmdSN 32; Time2Wait 40-41;
/// Time2Retain 42-43 (both in seconds, meaningful for connection recovery only). Bytes 3, 8-15, 20-23,
/// 36-39 and 44-47 reserved.
/// </remarks>
public readonly record struct LogoutResponsePdu
{
    public LogoutResponseCode Response { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint StatSN { get; init; }
    public uint ExpCmdSN { get; init; }
    public uint MaxCmdSN { get; init; }
    public ushort Time2Wait { get; init; }
    public ushort Time2Retain { get; init; }

    public void Encode(Span<byte> bhs)
    {
        var b = PduFields.Begin(bhs, Opcode.LogoutResponse, false, 0x80, 0);
        b[2] = (byte)Response;
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 24, StatSN);
        PduFields.Put(b, 28, ExpCmdSN);
        PduFields.Put(b, 32, MaxCmdSN);
        PduFields.Put(b, 40, Time2Wait);
        PduFields.Put(b, 42, Time2Retain);
    }

    public static LogoutResponsePdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static LogoutResponsePdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new LogoutResponsePdu
        {
            Response = (LogoutResponseCode)b[2],
            InitiatorTaskTag = PduFields.U32(b, 16),
            StatSN = PduFields.U32(b, 24),
            ExpCmdSN = PduFields.U32(b, 28),
            MaxCmdSN = PduFields.U32(b, 32),
            Time2Wait = PduFields.U16(b, 40),
            Time2Retain = PduFields.U16(b, 42),
        };
    }
}
