namespace SharpSan.Protocol;

/// <summary>
/// Text Request (RFC 7143 §11.10, opcode 0x04, initiator to target): key=value text in the data segment.
/// A long request spans PDUs with C=1; an empty request carrying the target's TTT asks for the next part
/// of a long response (§11.10.4).
/// </summary>
/// <remarks>
/// Layout: byte 1 F C; LUN 8-15 (or reserved); ITT 16; TTT 20 (0xffffffff when starting a new exchange);
/// CmdSN 24; ExpStatSN 28. Bytes 32-47 reserved.
/// </remarks>
public readonly record struct TextRequestPdu
{
    public bool Immediate { get; init; }
    /// <summary>F: the last request of the exchange.</summary>
    public bool Final { get; init; }
    /// <summary>C: the text continues in the next PDU; F must then be 0 (§11.10.2).</summary>
    public bool Continue { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint TargetTransferTag { get; init; }
    /// <summary>CmdSN and ExpStatSN (bytes 24-31).</summary>
    public InitiatorSequenceNumbers Sequence { get; init; }

    public void Encode(Span<byte> bhs, int dataSegmentLength)
    {
        var b = PduFields.Begin(bhs, Opcode.TextRequest, Immediate, (byte)((Final ? 0x80 : 0) | (Continue ? 0x40 : 0)), dataSegmentLength);
        PduFields.Put(b, 8, Lun);
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 20, TargetTransferTag);
        Sequence.WriteTo(b);
    }

    public static TextRequestPdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static TextRequestPdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new TextRequestPdu
        {
            Immediate = (b[0] & 0x40) != 0,
            Final = (b[1] & 0x80) != 0,
            Continue = (b[1] & 0x40) != 0,
            Lun = PduFields.U64(b, 8),
            InitiatorTaskTag = PduFields.U32(b, 16),
            TargetTransferTag = PduFields.U32(b, 20),
            Sequence = InitiatorSequenceNumbers.Read(b),
        };
    }
}
