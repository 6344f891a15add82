namespace SharpSan.Protocol;

/// <summary>
/// Logout Request (RFC 7143 §11.14, opcode 0x06, initiator to target). No data segment.
/// </summary>
/// <remarks>
/// Layout: byte 1 1 Reason Code(7 bits); ITT 16; CID 20-21 (the connection to close; reserved when closing
/// the session); CmdSN 24; ExpStatSN 28. Bytes 8-15, 22-23 and 32-47 reserved.
/// </remarks>
public readonly record struct LogoutRequestPdu
{
    public bool Immediate { get; init; }
    public LogoutReason Reason { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public ushort Cid { get; init; }
    /// <summary>CmdSN and ExpStatSN (bytes 24-31).</summary>
    public InitiatorSequenceNumbers Sequence { get; init; }

    public void Encode(Span<byte> bhs)
    {
        var b = PduFields.Begin(bhs, Opcode.LogoutRequest, Immediate, (byte)(0x80 | ((byte)Reason & 0x7F)), 0);
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 20, Cid);
        Sequence.WriteTo(b);
    }

    public static LogoutRequestPdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static LogoutRequestPdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new LogoutRequestPdu
        {
            Immediate = (b[0] & 0x40) != 0,
            Reason = (LogoutReason)(b[1] & 0x7F),
            InitiatorTaskTag = PduFields.U32(b, 16),
            Cid = PduFields.U16(b, 20),
            Sequence = InitiatorSequenceNumbers.Read(b),
        };
    }
}
