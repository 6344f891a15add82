namespace SharpSan.Initiator;

/// <summary>Decoded sense data (SPC-4 §4.5): fixed (0x70/0x71) or descriptor (0x72/0x73) format.</summary>
public readonly record struct SenseData(byte SenseKey, byte Asc, byte Ascq, bool Deferred)
{
    public const byte NoSense = 0x0, RecoveredError = 0x1, NotReady = 0x2, MediumError = 0x3, HardwareError = 0x4,
        IllegalRequest = 0x5, UnitAttention = 0x6, DataProtect = 0x7, AbortedCommand = 0xB, MiscompareKey = 0xE;

    /// <summary>Decodes sense bytes; false when they are too short or of an unknown format.</summary>
    public static bool TryParse(ReadOnlySpan<byte> sense, out SenseData data)
    {
        data = default;
        if (sense.Length < 2) return false;
        int code = sense[0] & 0x7F;
        switch (code)
        {
            case 0x70 or 0x71:
                data = new SenseData((byte)(sense[2 < sense.Length ? 2 : 0] & 0x0F),
                    sense.Length > 12 ? sense[12] : (byte)0, sense.Length > 13 ? sense[13] : (byte)0, code == 0x71);
                return sense.Length > 2;
            case 0x72 or 0x73:
                if (sense.Length < 4) return false;
                data = new SenseData((byte)(sense[1] & 0x0F), sense[2], sense[3], code == 0x73);
                return true;
            default:
                return false;
        }
    }

    public string SenseKeyName => SenseKey switch
    {
        NoSense => "NO SENSE", RecoveredError => "RECOVERED ERROR", NotReady => "NOT READY", MediumError => "MEDIUM ERROR",
        HardwareError => "HARDWARE ERROR", IllegalRequest => "ILLEGAL REQUEST", UnitAttention => "UNIT ATTENTION",
        DataProtect => "DATA PROTECT", AbortedCommand => "ABORTED COMMAND", MiscompareKey => "MISCOMPARE",
        _ => $"sense key 0x{SenseKey:x}",
    };

    public override string ToString() => $"{SenseKeyName} ASC/ASCQ 0x{Asc:x2}/0x{Ascq:x2}";
}
