namespace SharpSan.Protocol;

/// <summary>
/// SCSI Command (RFC 7143 §11.3, opcode 0x01, initiator to target). A ref struct because the CDB is a span:
/// decoded, it points into the received header (no copy); to encode, it names the caller's CDB.
/// </summary>
/// <remarks>
/// Layout: byte 1 F R W . . ATTR; LUN 8-15; ITT 16; Expected Data Transfer Length 20; CmdSN 24; ExpStatSN 28;
/// CDB 32-47. CDBs longer than 16 bytes need an Extended CDB AHS (§11.3.5), which we neither send nor accept.
/// </remarks>
public readonly ref struct ScsiCommandPdu
{
    public bool Immediate { get; init; }
    /// <summary>F: no unsolicited Data-Out follows this command (§11.3.4).</summary>
    public bool Final { get; init; }
    /// <summary>R: data flows target to initiator.</summary>
    public bool Read { get; init; }
    /// <summary>W: data flows initiator to target.</summary>
    public bool Write { get; init; }
    public ScsiTaskAttribute Attribute { get; init; }
    public ulong Lun { get; init; }
    public uint InitiatorTaskTag { get; init; }
    /// <summary>Bytes of data the initiator expects to move (§11.3.6).</summary>
    public uint ExpectedDataTransferLength { get; init; }
    /// <summary>CmdSN and ExpStatSN (bytes 24-31).</summary>
    public InitiatorSequenceNumbers Sequence { get; init; }
    /// <summary>Up to 16 bytes; Encode pads with zeros. Decoded, all 16 header bytes.</summary>
    public ReadOnlySpan<byte> Cdb { get; init; }

    public void Encode(Span<byte> bhs, int dataSegmentLength)
    {
        if (Cdb.Length > 16) throw new ArgumentException("CDBs over 16 bytes need an AHS, which is not supported", nameof(Cdb));
        byte flags = (byte)((Final ? 0x80 : 0) | (Read ? 0x40 : 0) | (Write ? 0x20 : 0) | ((byte)Attribute & 0x07));
        var b = PduFields.Begin(bhs, Opcode.ScsiCommand, Immediate, flags, dataSegmentLength);
        PduFields.Put(b, 8, Lun);
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 20, ExpectedDataTransferLength);
        Sequence.WriteTo(b);
        Cdb.CopyTo(b[32..]);
    }

    public static ScsiCommandPdu Decode(in Bhs bhs) => Decode(bhs.Bytes);

    public static ScsiCommandPdu Decode(ReadOnlySpan<byte> bhs)
    {
        var b = PduFields.Header(bhs);
        return new ScsiCommandPdu
        {
            Immediate = (b[0] & 0x40) != 0,
            Final = (b[1] & 0x80) != 0,
            Read = (b[1] & 0x40) != 0,
            Write = (b[1] & 0x20) != 0,
            Attribute = (ScsiTaskAttribute)(b[1] & 0x07),
            Lun = PduFields.U64(b, 8),
            InitiatorTaskTag = PduFields.U32(b, 16),
            ExpectedDataTransferLength = PduFields.U32(b, 20),
            Sequence = InitiatorSequenceNumbers.Read(b),
            Cdb = b.Slice(32, 16),
        };
    }
}
