using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// Sense data (SPC-4 4.5), the one codec for both sides: the target builds it in fixed (SPC-4 4.5.3,
/// response code 0x70) or descriptor (SPC-4 4.5.2, response code 0x72) format, with the optional
/// INFORMATION field and sense-key specific field pointer (SPC-4 4.5.2.4.2); an initiator decodes
/// either format (current or deferred) into this value.
/// </summary>
public readonly record struct SenseData(SenseKey SenseKey, byte Asc, byte Ascq, bool Deferred)
{
    public const int FixedLength = 18;

    /// <summary>No field pointer.</summary>
    public const int NoField = -1;

    /// <summary>Writes sense data and returns its length.</summary>
    /// <param name="fieldByte">Byte of the CDB / parameter list in error, or <see cref="NoField"/>.</param>
    /// <param name="fieldBit">Bit of that byte (0..7), or -1 when the whole byte is meant (BPV=0).</param>
    /// <param name="inCdb">C/D bit: true for a CDB field, false for a parameter list field.</param>
    /// <param name="information">INFORMATION field value, or null when not meaningful (VALID=0).</param>
    internal static int Build(Span<byte> sense, bool descriptorFormat, SenseKey key, byte asc, byte ascq,
        int fieldByte, int fieldBit, bool inCdb, ulong? information)
    {
        Span<byte> sks = stackalloc byte[3];
        bool hasSks = fieldByte >= 0;
        if (hasSks)
        {
            // SPC-4 4.5.2.4.2 field pointer: SKSV | C/D | BPV | bit pointer, then 16-bit field pointer.
            sks[0] = (byte)(0x80 | (inCdb ? 0x40 : 0) | (fieldBit >= 0 ? 0x08 | (fieldBit & 0x7) : 0));
            BinaryPrimitives.WriteUInt16BigEndian(sks[1..], (ushort)fieldByte);
        }

        if (!descriptorFormat)
        {
            sense[..FixedLength].Clear();
            sense[0] = (byte)(information.HasValue ? 0xF0 : 0x70); // VALID bit + current error
            sense[2] = (byte)key;
            if (information.HasValue)
            {
                BinaryPrimitives.WriteUInt32BigEndian(sense[3..], (uint)information.Value);
            }

            sense[7] = FixedLength - 8; // additional sense length
            sense[12] = asc;
            sense[13] = ascq;
            if (hasSks)
            {
                sks.CopyTo(sense[15..]);
            }

            return FixedLength;
        }

        int length = 8;
        sense[..8].Clear();
        sense[0] = 0x72;
        sense[1] = (byte)key;
        sense[2] = asc;
        sense[3] = ascq;
        if (information.HasValue)
        {
            // Information sense data descriptor (SPC-4 4.5.2.2).
            sense.Slice(length, 12).Clear();
            sense[length] = 0x00;
            sense[length + 1] = 0x0A;
            sense[length + 2] = 0x80; // VALID
            BinaryPrimitives.WriteUInt64BigEndian(sense[(length + 4)..], information.Value);
            length += 12;
        }

        if (hasSks)
        {
            // Sense key specific sense data descriptor (SPC-4 4.5.2.3).
            sense.Slice(length, 8).Clear();
            sense[length] = 0x02;
            sense[length + 1] = 0x06;
            sks.CopyTo(sense[(length + 4)..]);
            length += 8;
        }

        sense[7] = (byte)(length - 8);
        return length;
    }

    /// <summary>Decodes sense bytes; false when they are too short or of an unknown response code.</summary>
    public static bool TryParse(ReadOnlySpan<byte> sense, out SenseData data)
    {
        data = default;
        if (sense.Length < 3) return false;
        int code = sense[0] & 0x7F;
        switch (code)
        {
            case 0x70 or 0x71:
                // Fixed format: key in byte 2, ASC/ASCQ in bytes 12/13 when the target sent that many.
                data = new SenseData((SenseKey)(sense[2] & 0x0F),
                    sense.Length > 12 ? sense[12] : (byte)0, sense.Length > 13 ? sense[13] : (byte)0, code == 0x71);
                return true;
            case 0x72 or 0x73:
                if (sense.Length < 4) return false;
                data = new SenseData((SenseKey)(sense[1] & 0x0F), sense[2], sense[3], code == 0x73);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The sense key as SPC-4 table 48 spells it ("ILLEGAL REQUEST").</summary>
    public string SenseKeyName => SenseKey switch
    {
        SenseKey.NoSense => "NO SENSE", SenseKey.RecoveredError => "RECOVERED ERROR", SenseKey.NotReady => "NOT READY",
        SenseKey.MediumError => "MEDIUM ERROR", SenseKey.HardwareError => "HARDWARE ERROR", SenseKey.IllegalRequest => "ILLEGAL REQUEST",
        SenseKey.UnitAttention => "UNIT ATTENTION", SenseKey.DataProtect => "DATA PROTECT", SenseKey.BlankCheck => "BLANK CHECK",
        SenseKey.VendorSpecific => "VENDOR SPECIFIC", SenseKey.CopyAborted => "COPY ABORTED", SenseKey.AbortedCommand => "ABORTED COMMAND",
        SenseKey.VolumeOverflow => "VOLUME OVERFLOW", SenseKey.Miscompare => "MISCOMPARE",
        _ => $"sense key 0x{(byte)SenseKey:x}",
    };

    public override string ToString() => $"{SenseKeyName} ASC/ASCQ 0x{Asc:x2}/0x{Ascq:x2}";
}
