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
    /// <summary>StatSN, ExpCmdSN, MaxCmdSN (bytes 24-35), stamped by the target's writer at send time.</summary>
    public TargetSequenceNumbers Sequence { get; init; }
    public ushort Time2Wait { get; init; }
    public ushort Time2Retain { get; init; }

    public void Encode(Span<byte> bhs)
    {
        var b = PduFields.Begin(bhs, Opcode.LogoutResponse, false, 0x80, 0);
        b[2] = (byte)Response;
        PduFields.Put(b, 16, InitiatorTaskTag);
        Sequence.WriteTo(b);
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
            Sequence = TargetSequenceNumbers.Read(b),
            Time2Wait = PduFields.U16(b, 40),
            Time2Retain = PduFields.U16(b, 42),
        };
    }
}
