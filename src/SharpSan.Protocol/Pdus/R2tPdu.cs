namespace SharpSan.Protocol;

/// <summary>
/// Ready To Transfer (RFC 7143 §11.8, opcode 0x31, target to initiator): asks for Desired Data Transfer
/// Length bytes at Buffer Offset, answered by Data-Out PDUs carrying this TTT. No data segment.
/// </summary>
/// <remarks>
/// Layout: byte 1 1; LUN 8-15; ITT 16; TTT 20; StatSN 24 (the next StatSN, not advanced); ExpCmdSN 28;
/// MaxCmdSN 32; R2TSN 36; Buffer Offset 40; Desired Data Transfer Length 44. TotalAHSLength and
/// DataSegmentLength are 0.
/// </remarks>
public readonly record struct R2tPdu
{
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint TargetTransferTag { get; init; }
    /// <summary>StatSN, ExpCmdSN, MaxCmdSN (bytes 24-35), stamped by the target's writer at send time.</summary>
    public TargetSequenceNumbers Sequence { get; init; }
    /// <summary>Counts this command's R2Ts from 0 (§11.8.3).</summary>
    public uint R2TSN { get; init; }
    public uint BufferOffset { get; init; }
    /// <summary>At most MaxBurstLength (§11.8.4).</summary>
    public uint DesiredDataTransferLength { get; init; }

    public void Encode(Span<byte> bhs)
    {
        var b = PduFields.Begin(bhs, Opcode.ReadyToTransfer, false, 0x80, 0);
        PduFields.Put(b, 8, Lun);
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 20, TargetTransferTag);
        Sequence.WriteTo(b);
        PduFields.Put(b, 36, R2TSN);
        PduFields.Put(b, 40, BufferOffset);
        PduFields.Put(b, 44, DesiredDataTransferLength);
    }

    public static R2tPdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static R2tPdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new R2tPdu
        {
            Lun = PduFields.U64(b, 8),
            InitiatorTaskTag = PduFields.U32(b, 16),
            TargetTransferTag = PduFields.U32(b, 20),
            Sequence = TargetSequenceNumbers.Read(b),
            R2TSN = PduFields.U32(b, 36),
            BufferOffset = PduFields.U32(b, 40),
            DesiredDataTransferLength = PduFields.U32(b, 44),
        };
    }
}
