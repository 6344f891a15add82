namespace SharpSan.Protocol;

/// <summary>
/// SCSI Command (RFC 7143 §11.3, opcode 0x01, initiator to target). A ref struct because the CDB is a span:
/// decoded, it points into the received header (no copy); to encode, it names the caller's CDB.
/// </summary>
/// <remarks>
/// Layout: byte 1 F R W . . ATTR; LUN 8-15; ITT 16; Expected Data Transfer Length 20; CmdSN 24; ExpStatSN 28;
/// CDB 32-47. A CDB longer than 16 bytes continues in an Extended CDB AHS after the BHS (§11.2.2.3), and a
/// bidirectional command carries its Data-In length in another AHS (§11.2.2.4); see <see cref="ScsiCommandAhs"/>.
/// Decode reads the BHS only: the receiver parses the AHS bytes with <see cref="ScsiCommandAhs.TryDecode"/>.
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
    /// <summary>To encode, the whole CDB: bytes 0-15 go in the BHS (padded with zeros), the rest in an
    /// Extended CDB AHS. Decoded, the 16 bytes of the BHS.</summary>
    public ReadOnlySpan<byte> Cdb { get; init; }

    /// <summary>To encode: the Data-In length of a bidirectional command, sent in its own AHS; null for none.</summary>
    public uint? BidirectionalReadExpectedDataTransferLength { get; init; }

    /// <summary>The bytes <see cref="Encode"/> writes: the BHS and the AHS (48 for a CDB of 16 bytes or less).</summary>
    public int HeaderLength => Bhs.Length + ScsiCommandAhs.EncodedLength(Cdb.Length, BidirectionalReadExpectedDataTransferLength.HasValue);

    /// <summary>Writes the BHS and, when the command needs any, its AHS right after it, with TotalAHSLength
    /// set (§11.2.1.4): <paramref name="header"/> must hold <see cref="HeaderLength"/> bytes.</summary>
    public void Encode(Span<byte> header, int dataSegmentLength)
    {
        int headerLength = HeaderLength;
        if (header.Length < headerLength) throw new ArgumentException($"the header needs {headerLength} bytes (BHS and AHS)", nameof(header));
        byte flags = (byte)((Final ? 0x80 : 0) | (Read ? 0x40 : 0) | (Write ? 0x20 : 0) | ((byte)Attribute & 0x07));
        var b = PduFields.Begin(header, Opcode.ScsiCommand, Immediate, flags, dataSegmentLength);
        PduFields.Put(b, 8, Lun);
        PduFields.Put(b, 16, InitiatorTaskTag);
        PduFields.Put(b, 20, ExpectedDataTransferLength);
        Sequence.WriteTo(b);
        Cdb[..Math.Min(Cdb.Length, 16)].CopyTo(b[32..]);
        if (headerLength > Bhs.Length)
        {
            b[4] = (byte)((headerLength - Bhs.Length) / 4);
            ScsiCommandAhs.Encode(header[Bhs.Length..], Cdb, BidirectionalReadExpectedDataTransferLength);
        }
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
