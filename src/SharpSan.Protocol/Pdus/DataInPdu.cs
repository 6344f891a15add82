namespace SharpSan.Protocol;

/// <summary>
/// SCSI Data-In (RFC 7143 §11.7, opcode 0x25, target to initiator). With S set the last PDU also carries the
/// command's status and residual (phase collapse, §11.7.4), and then StatSN; without it StatSN is reserved.
/// </summary>
/// <remarks>
/// Layout: byte 1 F A 0 0 0 O U S; Status 3; LUN 8-15; ITT 16; TTT 20; StatSN 24; ExpCmdSN 28; MaxCmdSN 32;
/// DataSN 36; Buffer Offset 40; Residual Count 44.
/// </remarks>
public readonly record struct DataInPdu
{
    /// <summary>F: the last PDU of a sequence (at most MaxBurstLength, §13.13).</summary>
    public bool Final { get; init; }
    /// <summary>A: the target asks for a DataACK SNACK (ERL &gt; 0 only, §11.7.2).</summary>
    public bool Acknowledge { get; init; }
    /// <summary>O: residual overflow; valid only with S.</summary>
    public bool ResidualOverflow { get; init; }
    /// <summary>U: residual underflow; valid only with S.</summary>
    public bool ResidualUnderflow { get; init; }
    /// <summary>S: this PDU carries the status (and StatSN).</summary>
    public bool StatusPresent { get; init; }
    /// <summary>SAM status byte; reserved without S.</summary>
    public byte Status { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    /// <summary>0xffffffff unless A is set.</summary>
    public uint TargetTransferTag { get; init; }
    /// <summary>StatSN, ExpCmdSN, MaxCmdSN (bytes 24-35), stamped by the target's writer at send time.</summary>
    public TargetSequenceNumbers Sequence { get; init; }
    public uint DataSN { get; init; }
    public uint BufferOffset { get; init; }
    public uint ResidualCount { get; init; }

    public void Encode(Span<byte> bhs, int dataSegmentLength)
    {
        byte flags = (byte)((Final ? 0x80 : 0) | (Acknowledge ? 0x40 : 0)
            | (ResidualOverflow ? 0x04 : 0) | (ResidualUnderflow ? 0x02 : 0) | (StatusPresent ? 0x01 : 0));
        var b = PduFields.Begin(bhs, Opcode.DataIn, false, flags, dataSegmentLength);
        b[3] = Status;
        PduFields.Put(b, 8, Lun);
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 20, TargetTransferTag);
        Sequence.WriteTo(b);
        PduFields.Put(b, 36, DataSN);
        PduFields.Put(b, 40, BufferOffset);
        PduFields.Put(b, 44, ResidualCount);
    }

    public static DataInPdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static DataInPdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new DataInPdu
        {
            Final = (b[1] & 0x80) != 0,
            Acknowledge = (b[1] & 0x40) != 0,
            ResidualOverflow = (b[1] & 0x04) != 0,
            ResidualUnderflow = (b[1] & 0x02) != 0,
            StatusPresent = (b[1] & 0x01) != 0,
            Status = b[3],
            Lun = PduFields.U64(b, 8),
            InitiatorTaskTag = PduFields.U32(b, 16),
            TargetTransferTag = PduFields.U32(b, 20),
            Sequence = TargetSequenceNumbers.Read(b),
            DataSN = PduFields.U32(b, 36),
            BufferOffset = PduFields.U32(b, 40),
            ResidualCount = PduFields.U32(b, 44),
        };
    }
}
