namespace SharpSan.Target;

/// <summary>The 8-byte SAM LUN field (SAM-5 4.6.x) to and from a LUN number.</summary>
internal static class LunCodec
{
    /// <summary>Sentinel for a LUN we cannot address (multi-level or extended addressing).</summary>
    public const ulong Invalid = ulong.MaxValue;

    /// <summary>Decodes single-level peripheral (00b) and flat space (01b) addressing.</summary>
    public static ulong Decode(ReadOnlySpan<byte> lun)
    {
        // A second level must be empty for a single-level LUN.
        for (int i = 2; i < 8; i++)
            if (lun[i] != 0) return Invalid;
        return (lun[0] >> 6) switch
        {
            0 when (lun[0] & 0x3F) == 0 => lun[1],
            1 => (ulong)(((lun[0] & 0x3F) << 8) | lun[1]),
            _ => Invalid,
        };
    }
}
