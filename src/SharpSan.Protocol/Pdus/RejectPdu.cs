namespace SharpSan.Protocol;

/// <summary>
/// Reject (RFC 7143 §11.17, opcode 0x3F, target to initiator): the data segment is the complete header of
/// the rejected PDU (§11.17.3), by which the initiator finds what was refused. ITT is always 0xffffffff.
/// </summary>
/// <remarks>
/// Layout: byte 1 1; Reason 2; ITT 16 (0xffffffff); StatSN 24; ExpCmdSN 28; MaxCmdSN 32; DataSN/R2TSN 36
/// (only for a rejected SNACK, else reserved). Bytes 3, 8-15, 20-23 and 40-47 reserved.
/// </remarks>
public readonly record struct RejectPdu
{
    public RejectReason Reason { get; init; }
    /// <summary>StatSN, ExpCmdSN, MaxCmdSN (bytes 24-35), stamped by the target's writer at send time.</summary>
    public TargetSequenceNumbers Sequence { get; init; }
    public uint DataSNOrR2TSN { get; init; }

    /// <summary>The ITT of every Reject (§11.17).</summary>
    public uint InitiatorTaskTag => Bhs.ReservedTag;

    public void Encode(Span<byte> bhs, int dataSegmentLength)
    {
        var b = PduFields.Begin(bhs, Opcode.Reject, false, 0x80, dataSegmentLength);
        b[2] = (byte)Reason;
        PduFields.Put(b, 16, Bhs.ReservedTag);
        Sequence.WriteTo(b);
        PduFields.Put(b, 36, DataSNOrR2TSN);
    }

    public static RejectPdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static RejectPdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new RejectPdu
        {
            Reason = (RejectReason)b[2],
            Sequence = TargetSequenceNumbers.Read(b),
            DataSNOrR2TSN = PduFields.U32(b, 36),
        };
    }
}
