namespace SharpSan.Scsi.Tests;

/// <summary>What the fabric would send back for one command.</summary>
internal sealed record Result(bool Prepared, ScsiStatus Status, byte[] Sense, byte[] Data, int TransferLength, DataDirection Direction)
{
    public SenseKey Key => Sense.Length == 0 ? SenseKey.NoSense : (SenseKey)((Sense[0] & 0x7F) == 0x72 ? Sense[1] & 0x0F : Sense[2] & 0x0F);
    public byte Asc => Sense.Length == 0 ? (byte)0 : (Sense[0] & 0x7F) == 0x72 ? Sense[2] : Sense[12];
    public byte Ascq => Sense.Length == 0 ? (byte)0 : (Sense[0] & 0x7F) == 0x72 ? Sense[3] : Sense[13];

    /// <summary>Fixed format sense-key specific bytes 15..17.</summary>
    public bool Sksv => Sense.Length >= 18 && (Sense[15] & 0x80) != 0;
    public bool CommandData => (Sense[15] & 0x40) != 0;
    public int FieldByte => (Sense[16] << 8) | Sense[17];
    public int FieldBit => (Sense[15] & 0x08) != 0 ? Sense[15] & 0x07 : -1;

    public void AssertGood()
    {
        Assert.True(Status == ScsiStatus.Good, $"expected GOOD, got {Status} {Key} {Asc:X2}/{Ascq:X2}");
    }

    public void AssertSense(SenseKey key, byte asc, byte ascq)
    {
        Assert.Equal(ScsiStatus.CheckCondition, Status);
        Assert.Equal((key, asc, ascq), (Key, Asc, Ascq));
    }
}
