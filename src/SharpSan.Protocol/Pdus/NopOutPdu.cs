namespace SharpSan.Protocol;

/// <summary>
/// NOP-Out (RFC 7143 §11.18, opcode 0x00, initiator to target): a ping (ITT set, TTT 0xffffffff, answered
/// by a NOP-In echoing the data) or the answer to a target's ping (ITT 0xffffffff, echoing its TTT and LUN).
/// </summary>
/// <remarks>
/// Layout: byte 1 1; LUN 8-15; ITT 16; TTT 20; CmdSN 24; ExpStatSN 28. Bytes 32-47 reserved.
/// </remarks>
public readonly record struct NopOutPdu
{
    public bool Immediate { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint TargetTransferTag { get; init; }
    /// <summary>CmdSN and ExpStatSN (bytes 24-31).</summary>
    public InitiatorSequenceNumbers Sequence { get; init; }

    public void Encode(Span<byte> bhs, int dataSegmentLength)
    {
        var b = PduFields.Begin(bhs, Opcode.NopOut, Immediate, 0x80, dataSegmentLength);
        PduFields.Put(b, 8, Lun);
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 20, TargetTransferTag);
        Sequence.WriteTo(b);
    }

    public static NopOutPdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static NopOutPdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new NopOutPdu
        {
            Immediate = (b[0] & 0x40) != 0,
            Lun = PduFields.U64(b, 8),
            InitiatorTaskTag = PduFields.U32(b, 16),
            TargetTransferTag = PduFields.U32(b, 20),
            Sequence = InitiatorSequenceNumbers.Read(b),
        };
    }
}
