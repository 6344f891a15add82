namespace SharpSan.Protocol;

/// <summary>
/// SNACK Request (RFC 7143 §11.16, opcode 0x10, initiator to target): asks again for Data-In, R2T or status
/// PDUs, or acknowledges data. Only meaningful at ErrorRecoveryLevel &gt; 0; our target negotiates 0 and
/// rejects it, but the initiator of a peer may send one.
/// </summary>
/// <remarks>
/// Layout: byte 1 1 . . . Type(4 bits); LUN 8-15 (or reserved); ITT 16 (or 0xffffffff); TTT or SNACK Tag 20;
/// ExpStatSN 28; BegRun 40; RunLength 44 (0: everything from BegRun). Bytes 24-27 and 32-39 reserved.
/// </remarks>
public readonly record struct SnackRequestPdu
{
    public SnackType Type { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    /// <summary>The TTT of a DataACK, the SNACK Tag of an R-Data SNACK, else 0xffffffff.</summary>
    public uint TargetTransferTagOrSnackTag { get; init; }
    public uint ExpStatSN { get; init; }
    public uint BegRun { get; init; }
    public uint RunLength { get; init; }

    public void Encode(Span<byte> bhs, int dataSegmentLength)
    {
        var b = PduFields.Begin(bhs, Opcode.Snack, false, (byte)(0x80 | ((byte)Type & 0x0F)), dataSegmentLength);
        PduFields.Put(b, 8, Lun);
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 20, TargetTransferTagOrSnackTag);
        PduFields.Put(b, 28, ExpStatSN);
        PduFields.Put(b, 40, BegRun);
        PduFields.Put(b, 44, RunLength);
    }

    public static SnackRequestPdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static SnackRequestPdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new SnackRequestPdu
        {
            Type = (SnackType)(b[1] & 0x0F),
            Lun = PduFields.U64(b, 8),
            InitiatorTaskTag = PduFields.U32(b, 16),
            TargetTransferTagOrSnackTag = PduFields.U32(b, 20),
            ExpStatSN = PduFields.U32(b, 28),
            BegRun = PduFields.U32(b, 40),
            RunLength = PduFields.U32(b, 44),
        };
    }
}
