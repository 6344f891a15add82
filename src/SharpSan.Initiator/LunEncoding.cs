namespace SharpSan.Initiator;

/// <summary>The 8-byte SAM LUN field (SAM-5 §4.7): peripheral addressing below 256, flat space below 16384.</summary>
internal static class LunEncoding
{
    public static ulong Encode(ulong lun) => lun switch
    {
        < 256 => lun << 48,
        < 16384 => (0x4000UL | lun) << 48,
        _ => throw new ArgumentOutOfRangeException(nameof(lun), "LUNs above 16383 need extended addressing, which is not supported"),
    };
}
