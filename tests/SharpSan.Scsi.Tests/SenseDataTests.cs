namespace SharpSan.Scsi.Tests;

public class SenseDataTests
{
    [Fact]
    public void Fixed_format_with_information_and_field_pointer()
    {
        byte[] sense = new byte[64];
        int length = SenseData.Build(sense, false, SenseKey.IllegalRequest, 0x24, 0x00, 0x0102, 5, true, 0xA1B2C3D4);
        Assert.Equal(18, length);
        Assert.Equal(Convert.FromHexString("F0000 5A1B2C3D40A000000002400 00CD0102".Replace(" ", "")), sense[..18]);
    }

    [Fact]
    public void Descriptor_format_with_information_and_field_pointer()
    {
        byte[] sense = new byte[64];
        int length = SenseData.Build(sense, true, SenseKey.Miscompare, 0x1D, 0x00, 3, -1, false, 0x1234);
        Assert.Equal(8 + 12 + 8, length);
        Assert.Equal(Convert.FromHexString("720E1D0000000014"), sense[..8]);
        Assert.Equal(Convert.FromHexString("000A8000" + "0000000000001234"), sense[8..20]);
        Assert.Equal(Convert.FromHexString("0206000080000300"), sense[20..28]);
    }

    [Theory]
    [InlineData(SenseReason.InvalidCommandOperationCode, SenseKey.IllegalRequest, 0x20, 0x00)]
    [InlineData(SenseReason.DataPhaseError, SenseKey.AbortedCommand, 0x4B, 0x00)]
    [InlineData(SenseReason.InternalTargetFailure, SenseKey.HardwareError, 0x44, 0x00)]
    [InlineData(SenseReason.LogicalUnitNotSupported, SenseKey.IllegalRequest, 0x25, 0x00)]
    [InlineData(SenseReason.LogicalBlockAddressOutOfRange, SenseKey.IllegalRequest, 0x21, 0x00)]
    [InlineData(SenseReason.InvalidFieldInParameterList, SenseKey.IllegalRequest, 0x26, 0x00)]
    [InlineData(SenseReason.SavingParametersNotSupported, SenseKey.IllegalRequest, 0x39, 0x00)]
    [InlineData(SenseReason.InvalidFieldInCommandInformationUnit, SenseKey.IllegalRequest, 0x0E, 0x03)]
    [InlineData(SenseReason.WriteProtected, SenseKey.DataProtect, 0x27, 0x00)]
    [InlineData(SenseReason.UnrecoveredReadError, SenseKey.MediumError, 0x11, 0x00)]
    [InlineData(SenseReason.WriteError, SenseKey.MediumError, 0x0C, 0x00)]
    [InlineData(SenseReason.MiscompareDuringVerify, SenseKey.Miscompare, 0x1D, 0x00)]
    internal void Reason_table_maps_to_spc4_codes(SenseReason reason, SenseKey key, byte asc, byte ascq)
    {
        SenseTable.Lookup(reason, out SenseKey k, out byte a, out byte q);
        Assert.Equal((key, asc, ascq), (k, a, q));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void What_the_target_builds_the_initiator_parses(bool descriptor)
    {
        byte[] sense = new byte[64];
        int length = SenseData.Build(sense, descriptor, SenseKey.UnitAttention, 0x3F, 0x0E, SenseData.NoField, -1, true, null);
        Assert.True(SenseData.TryParse(sense.AsSpan(0, length), out var parsed));
        Assert.Equal(new SenseData(SenseKey.UnitAttention, 0x3F, 0x0E, false), parsed);
        Assert.Equal("UNIT ATTENTION ASC/ASCQ 0x3f/0x0e", parsed.ToString());
    }

    [Fact]
    public void Deferred_short_and_unknown_sense()
    {
        Assert.True(SenseData.TryParse(Convert.FromHexString("7100030000000000000000000C00"), out var deferred));
        Assert.Equal(new SenseData(SenseKey.MediumError, 0x0C, 0x00, true), deferred);
        Assert.True(SenseData.TryParse(Convert.FromHexString("700005"), out var shortFixed));
        Assert.Equal(new SenseData(SenseKey.IllegalRequest, 0, 0, false), shortFixed);
        Assert.False(SenseData.TryParse(Convert.FromHexString("7200"), out _));
        Assert.False(SenseData.TryParse(Convert.FromHexString("7F000500"), out _));
    }
}
