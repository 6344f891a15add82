using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// Builds sense data in fixed (SPC-4 4.5.3, response code 0x70) or descriptor (SPC-4 4.5.2,
/// response code 0x72) format. Optional parts: the INFORMATION field and the sense-key specific
/// field pointer (SPC-4 4.5.2.4.2).
/// </summary>
internal static class SenseData
{
    public const int FixedLength = 18;

    /// <summary>No field pointer.</summary>
    public const int NoField = -1;

    /// <summary>Writes sense data and returns its length.</summary>
    /// <param name="fieldByte">Byte of the CDB / parameter list in error, or <see cref="NoField"/>.</param>
    /// <param name="fieldBit">Bit of that byte (0..7), or -1 when the whole byte is meant (BPV=0).</param>
    /// <param name="inCdb">C/D bit: true for a CDB field, false for a parameter list field.</param>
    /// <param name="information">INFORMATION field value, or null when not meaningful (VALID=0).</param>
    public static int Build(Span<byte> sense, bool descriptorFormat, SenseKey key, byte asc, byte ascq,
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
}
