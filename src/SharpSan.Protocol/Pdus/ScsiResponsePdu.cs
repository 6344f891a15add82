namespace SharpSan.Protocol;

/// <summary>
/// SCSI Response (RFC 7143 §11.4, opcode 0x21, target to initiator). Status is the SAM status byte, valid
/// when <see cref="Response"/> is CommandCompletedAtTarget; sense data, if any, is the data segment
/// (2-byte SenseLength, then the sense bytes, §11.4.7).
/// </summary>
/// <remarks>
/// Layout: byte 1 1 . . o u O U .; Response 2; Status 3; ITT 16; SNACK Tag 20; StatSN 24; ExpCmdSN 28;
/// MaxCmdSN 32; ExpDataSN 36; Bidirectional Read Residual Count 40; Residual Count 44. Bytes 8-15 reserved.
/// </remarks>
public readonly record struct ScsiResponsePdu
{
    /// <summary>o: bidirectional read residual overflow (§11.4.1).</summary>
    public bool BidirectionalReadResidualOverflow { get; init; }
    /// <summary>u: bidirectional read residual underflow.</summary>
    public bool BidirectionalReadResidualUnderflow { get; init; }
    /// <summary>O: the command would have moved more than Expected Data Transfer Length; see ResidualCount.</summary>
    public bool ResidualOverflow { get; init; }
    /// <summary>U: the command moved less than Expected Data Transfer Length; see ResidualCount.</summary>
    public bool ResidualUnderflow { get; init; }
    public ScsiResponseCode Response { get; init; }
    public byte Status { get; init; }
    public uint InitiatorTaskTag { get; init; }
    /// <summary>Non-zero only when answering an R-Data SNACK (§11.4.4).</summary>
    public uint SnackTag { get; init; }
    /// <summary>StatSN, ExpCmdSN, MaxCmdSN (bytes 24-35), stamped by the target's writer at send time.</summary>
    public TargetSequenceNumbers Sequence { get; init; }
    /// <summary>Number of Data-In PDUs sent for the command (§11.4.8); 0 when none were.</summary>
    public uint ExpDataSN { get; init; }
    public uint BidirectionalReadResidualCount { get; init; }
    public uint ResidualCount { get; init; }

    public void Encode(Span<byte> bhs, int dataSegmentLength)
    {
        byte flags = (byte)(0x80
            | (BidirectionalReadResidualOverflow ? 0x10 : 0) | (BidirectionalReadResidualUnderflow ? 0x08 : 0)
            | (ResidualOverflow ? 0x04 : 0) | (ResidualUnderflow ? 0x02 : 0));
        var b = PduFields.Begin(bhs, Opcode.ScsiResponse, false, flags, dataSegmentLength);
        b[2] = (byte)Response;
        b[3] = Status;
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 20, SnackTag);
        Sequence.WriteTo(b);
        PduFields.Put(b, 36, ExpDataSN);
        PduFields.Put(b, 40, BidirectionalReadResidualCount);
        PduFields.Put(b, 44, ResidualCount);
    }

    public static ScsiResponsePdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static ScsiResponsePdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new ScsiResponsePdu
        {
            BidirectionalReadResidualOverflow = (b[1] & 0x10) != 0,
            BidirectionalReadResidualUnderflow = (b[1] & 0x08) != 0,
            ResidualOverflow = (b[1] & 0x04) != 0,
            ResidualUnderflow = (b[1] & 0x02) != 0,
            Response = (ScsiResponseCode)b[2],
            Status = b[3],
            InitiatorTaskTag = PduFields.U32(b, 16),
            SnackTag = PduFields.U32(b, 20),
            Sequence = TargetSequenceNumbers.Read(b),
            ExpDataSN = PduFields.U32(b, 36),
            BidirectionalReadResidualCount = PduFields.U32(b, 40),
            ResidualCount = PduFields.U32(b, 44),
        };
    }
}
