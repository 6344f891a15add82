namespace SharpSan.Protocol;

/// <summary>
/// StatSN, ExpCmdSN and MaxCmdSN, which every PDU a target sends carries at bytes 24-35 (RFC 7143 §11.4,
/// §11.6, §11.7, §11.8, §11.9, §11.11, §11.13, §11.15, §11.17, §11.19). The target's single writer stamps
/// them at send time, under its lock, so StatSN order is wire order (§4.2.2.2); the initiator reads its
/// command window from any target PDU (§4.2.2.1) before it looks at the opcode.
/// </summary>
public readonly record struct TargetSequenceNumbers(uint StatSN, uint ExpCmdSN, uint MaxCmdSN)
{
    public static TargetSequenceNumbers Read(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new TargetSequenceNumbers(PduFields.U32(b, 24), PduFields.U32(b, 28), PduFields.U32(b, 32));
    }

    /// <summary>Overwrites bytes 24-35 of a target PDU's BHS; the rest stays as its Encode wrote it.</summary>
    public void WriteTo(Span<byte> bhs)
    {
        var b = bhs[..Bhs.Length];
        PduFields.Put(b, 24, StatSN);
        PduFields.Put(b, 28, ExpCmdSN);
        PduFields.Put(b, 32, MaxCmdSN);
    }
}
