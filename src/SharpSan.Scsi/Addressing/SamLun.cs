using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// The 8-byte LUN structure (SAM-5 4.7), one codec for target and initiator. We address single-level
/// LUNs: peripheral device addressing (00b, SAM-5 4.7.7.2) below 256 and flat space addressing (01b,
/// 4.7.7.4) below 16384 — what Linux, libiscsi and LIO use for LUNs 0..16383.
/// </summary>
public static class SamLun
{
    /// <summary>Decoded value of a LUN structure we cannot address (multi-level, extended or
    /// logical unit addressing); no logical unit ever has this number.</summary>
    public const ulong Unaddressable = ulong.MaxValue;

    /// <summary>Largest LUN single-level addressing can express.</summary>
    public const ulong MaxSingleLevel = 16383;

    /// <summary>The LUN structure of <paramref name="lun"/> as a big-endian 64-bit value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Above <see cref="MaxSingleLevel"/>: needs extended addressing.</exception>
    public static ulong Encode(ulong lun) => lun switch
    {
        < 256 => lun << 48,
        <= MaxSingleLevel => (0x4000UL | lun) << 48,
        _ => throw new ArgumentOutOfRangeException(nameof(lun), "LUNs above 16383 need extended addressing, which is not supported"),
    };

    /// <summary>
    /// Writes the LUN structure of <paramref name="lun"/> into 8 bytes. A value above
    /// <see cref="MaxSingleLevel"/> is taken as an already encoded structure and written as it is
    /// (REPORT LUNS lists what it was given).
    /// </summary>
    public static void Write(ulong lun, Span<byte> destination) =>
        BinaryPrimitives.WriteUInt64BigEndian(destination, lun <= MaxSingleLevel ? Encode(lun) : lun);

    /// <summary>The LUN of a single-level structure, or <see cref="Unaddressable"/>.</summary>
    public static ulong Decode(ReadOnlySpan<byte> lun)
    {
        // A second level must be empty for a single-level LUN (SAM-5 4.7.3).
        for (int i = 2; i < 8; i++)
            if (lun[i] != 0) return Unaddressable;
        return (lun[0] >> 6) switch
        {
            0 when (lun[0] & 0x3F) == 0 => lun[1],
            1 => (ulong)(((lun[0] & 0x3F) << 8) | lun[1]),
            _ => Unaddressable,
        };
    }
}
