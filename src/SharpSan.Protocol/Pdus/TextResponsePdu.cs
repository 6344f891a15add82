namespace SharpSan.Protocol;

/// <summary>
/// Text Response (RFC 7143 §11.11, opcode 0x24, target to initiator). A response longer than the
/// initiator's MaxRecvDataSegmentLength goes out in parts with C=1 and a TTT the initiator echoes to ask
/// for the next; the last has F=1 and TTT 0xffffffff (§11.11.4).
/// </summary>
/// <remarks>
/// Layout: byte 1 F C; LUN 8-15 (or reserved); ITT 16; TTT 20; StatSN 24; ExpCmdSN 28; MaxCmdSN 32.
/// Bytes 36-47 reserved.
/// </remarks>
public readonly record struct TextResponsePdu
{
    public bool Final { get; init; }
    public bool Continue { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint TargetTransferTag { get; init; }
    /// <summary>StatSN, ExpCmdSN, MaxCmdSN (bytes 24-35), stamped by the target's writer at send time.</summary>
    public TargetSequenceNumbers Sequence { get; init; }

    public void Encode(Span<byte> bhs, int dataSegmentLength)
    {
        var b = PduFields.Begin(bhs, Opcode.TextResponse, false, (byte)((Final ? 0x80 : 0) | (Continue ? 0x40 : 0)), dataSegmentLength);
        PduFields.Put(b, 8, Lun);
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 20, TargetTransferTag);
        Sequence.WriteTo(b);
    }

    public static TextResponsePdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static TextResponsePdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new TextResponsePdu
        {
            Final = (b[1] & 0x80) != 0,
            Continue = (b[1] & 0x40) != 0,
            Lun = PduFields.U64(b, 8),
            InitiatorTaskTag = PduFields.U32(b, 16),
            TargetTransferTag = PduFields.U32(b, 20),
            Sequence = TargetSequenceNumbers.Read(b),
        };
    }
}
