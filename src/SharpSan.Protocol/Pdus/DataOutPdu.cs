namespace SharpSan.Protocol;

/// <summary>
/// SCSI Data-Out (RFC 7143 §11.7, opcode 0x05, initiator to target): unsolicited data (TTT 0xffffffff) or
/// an answer to an R2T (its TTT). DataSN counts from 0 within each sequence (§11.7.5).
/// </summary>
/// <remarks>
/// Layout: byte 1 F; LUN 8-15; ITT 16; TTT 20; ExpStatSN 28; DataSN 36; Buffer Offset 40. Bytes 24-27, 32-35
/// and 44-47 are reserved.
/// </remarks>
public readonly record struct DataOutPdu
{
    /// <summary>F: the last PDU of the sequence (an R2T's range, or the unsolicited burst).</summary>
    public bool Final { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    public uint TargetTransferTag { get; init; }
    public uint ExpStatSN { get; init; }
    public uint DataSN { get; init; }
    public uint BufferOffset { get; init; }

    public void Encode(Span<byte> bhs, int dataSegmentLength)
    {
        var b = PduFields.Begin(bhs, Opcode.DataOut, false, (byte)(Final ? 0x80 : 0), dataSegmentLength);
        PduFields.Put(b, 8, Lun);
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 20, TargetTransferTag);
        PduFields.Put(b, 28, ExpStatSN);
        PduFields.Put(b, 36, DataSN);
        PduFields.Put(b, 40, BufferOffset);
    }

    public static DataOutPdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static DataOutPdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new DataOutPdu
        {
            Final = (b[1] & 0x80) != 0,
            Lun = PduFields.U64(b, 8),
            InitiatorTaskTag = PduFields.U32(b, 16),
            TargetTransferTag = PduFields.U32(b, 20),
            ExpStatSN = PduFields.U32(b, 28),
            DataSN = PduFields.U32(b, 36),
            BufferOffset = PduFields.U32(b, 40),
        };
    }
}
