namespace SharpSan.Protocol;

/// <summary>
/// NOP-In (RFC 7143 §11.19, opcode 0x20, target to initiator): the answer to a NOP-Out ping (its ITT, TTT
/// 0xffffffff, StatSN advanced) or the target's own ping (ITT 0xffffffff, a TTT to echo, StatSN not
/// advanced).
/// </summary>
/// <remarks>
/// Layout: byte 1 1; LUN 8-15; ITT 16; TTT 20; StatSN 24; ExpCmdSN 28; MaxCmdSN 32. Bytes 36-47 reserved.
/// </remarks>
public readonly record struct NopInPdu
{
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint TargetTransferTag { get; init; }
    /// <summary>StatSN, ExpCmdSN, MaxCmdSN (bytes 24-35), stamped by the target's writer at send time.</summary>
    public TargetSequenceNumbers Sequence { get; init; }

    public void Encode(Span<byte> bhs, int dataSegmentLength)
    {
        var b = PduFields.Begin(bhs, Opcode.NopIn, false, 0x80, dataSegmentLength);
        PduFields.Put(b, 8, Lun);
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 20, TargetTransferTag);
        Sequence.WriteTo(b);
    }

    public static NopInPdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static NopInPdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new NopInPdu
        {
            Lun = PduFields.U64(b, 8),
            InitiatorTaskTag = PduFields.U32(b, 16),
            TargetTransferTag = PduFields.U32(b, 20),
            Sequence = TargetSequenceNumbers.Read(b),
        };
    }
}
