namespace SharpSan.Scsi.Reporting;

/// <summary>
/// A device server's timestamp (SPC-4 5.2, device clocks): milliseconds since 1970-01-01 00:00:00 UTC
/// in 48 bits. It starts from the host's clock (TIMESTAMP ORIGIN 011b, "initialized by methods outside
/// the scope of this standard") and runs on it; SET TIMESTAMP moves it (origin 010b). Lock-free: the
/// offset from the host clock and the origin are one 64-bit value.
/// </summary>
internal sealed class DeviceClock
{
    /// <summary>TIMESTAMP ORIGIN (SPC-4 table 331).</summary>
    public const byte OriginSetTimestamp = 0x02;
    public const byte OriginOutsideStandard = 0x03;

    /// <summary>The TIMESTAMP field is 6 bytes.</summary>
    public const ulong Max = (1UL << 48) - 1;

    private readonly Func<long> _hostMilliseconds;

    // Offset (bits 63..8, signed) and origin (bits 2..0).
    private long _state = OriginOutsideStandard;

    public DeviceClock(Func<long>? hostMilliseconds = null)
    {
        _hostMilliseconds = hostMilliseconds ?? (static () => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    /// <summary>The current timestamp and its origin.</summary>
    public ulong Read(out byte origin)
    {
        long state = Volatile.Read(ref _state);
        origin = (byte)(state & 0x07);
        long value = _hostMilliseconds() + (state >> 8);
        return (ulong)Math.Clamp(value, 0, (long)Max);
    }

    /// <summary>SET TIMESTAMP: from now on the clock reads <paramref name="timestamp"/> plus the time elapsed.</summary>
    public void Set(ulong timestamp)
    {
        long offset = (long)(timestamp & Max) - _hostMilliseconds();
        Volatile.Write(ref _state, (offset << 8) | OriginSetTimestamp);
    }
}
