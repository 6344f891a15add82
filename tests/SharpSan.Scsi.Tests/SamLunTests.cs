namespace SharpSan.Scsi.Tests;

public class SamLunTests
{
    [Theory]
    [InlineData(0UL, "0000000000000000")]
    [InlineData(5UL, "0005000000000000")]
    [InlineData(255UL, "00FF000000000000")]
    [InlineData(256UL, "4100000000000000")]
    [InlineData(16383UL, "7FFF000000000000")]
    public void Single_level_luns_round_trip(ulong lun, string hex)
    {
        byte[] bytes = new byte[8];
        SamLun.Write(lun, bytes);
        Assert.Equal(hex, Convert.ToHexString(bytes));
        Assert.Equal(Convert.ToUInt64(hex, 16), SamLun.Encode(lun));
        Assert.Equal(lun, SamLun.Decode(bytes));
    }

    [Theory]
    [InlineData("0001000100000000")] // a second level
    [InlineData("8000000000000000")] // logical unit addressing
    [InlineData("C000000000000000")] // extended addressing
    [InlineData("0100000000000000")] // peripheral addressing with a bus number
    public void Other_structures_are_unaddressable(string hex) =>
        Assert.Equal(SamLun.Unaddressable, SamLun.Decode(Convert.FromHexString(hex)));

    [Fact]
    public void Luns_beyond_flat_space_are_refused_or_written_as_given()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SamLun.Encode(16384));
        byte[] bytes = new byte[8];
        SamLun.Write(0x0001_0002_0000_0000, bytes);
        Assert.Equal("0001000200000000", Convert.ToHexString(bytes));
    }
}
