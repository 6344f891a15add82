namespace SharpSan.Protocol;

/// <summary>RFC 1982 serial number arithmetic on 32-bit sequence numbers (CmdSN, StatSN, DataSN), as
/// RFC 7143 §4.2.2.1 requires: plain comparison is wrong once the counter wraps.</summary>
public static class SerialNumber
{
    public static bool LessThan(uint a, uint b) => a != b && (int)(a - b) < 0;
    public static bool GreaterThan(uint a, uint b) => a != b && (int)(a - b) > 0;
    public static bool LessOrEqual(uint a, uint b) => a == b || LessThan(a, b);
    public static bool GreaterOrEqual(uint a, uint b) => a == b || GreaterThan(a, b);

    /// <summary>True when <paramref name="sn"/> lies in the window [low, high] (both inclusive).</summary>
    public static bool InWindow(uint sn, uint low, uint high) => GreaterOrEqual(sn, low) && LessOrEqual(sn, high);
}
