using System.Buffers.Binary;

namespace SharpSan.Scsi.Tests;

public class ReportLunsTests
{
    private static byte[] ReportLuns(byte select, uint allocation) =>
        Harness.Cdb(0xA0, 0, select, 0, 0, 0, (int)(allocation >> 24), (int)(allocation >> 16) & 0xFF, (int)(allocation >> 8) & 0xFF, (int)allocation & 0xFF, 0, 0);

    [Fact]
    public void Lists_luns_with_peripheral_and_flat_addressing()
    {
        var harness = new Harness();
        harness.Map.Add(5, harness.Unit).Add(300, harness.Unit);

        Result result = harness.Run(ReportLuns(0, 256), lun: 1234); // any LUN may ask, even an unmapped one
        result.AssertGood();
        byte[] d = result.Data;
        Assert.Equal(32, d.Length);
        Assert.Equal(24u, BinaryPrimitives.ReadUInt32BigEndian(d));
        Assert.Equal(Convert.FromHexString("0000000000000000"), d[8..16]);
        Assert.Equal(Convert.FromHexString("0005000000000000"), d[16..24]);
        Assert.Equal(Convert.FromHexString("412C000000000000"), d[24..32]);
    }

    [Fact]
    public void Select_report_1_lists_no_well_known_luns_and_2_lists_all()
    {
        var harness = new Harness();
        Result wellKnown = harness.Run(ReportLuns(1, 16));
        wellKnown.AssertGood();
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(wellKnown.Data));

        Result all = harness.Run(ReportLuns(2, 16));
        all.AssertGood();
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32BigEndian(all.Data));
    }

    [Fact]
    public void Truncated_to_allocation_length_but_list_length_is_complete()
    {
        var harness = new Harness();
        harness.Map.Add(1, harness.Unit).Add(2, harness.Unit);
        Result result = harness.Run(ReportLuns(0, 16));
        Assert.Equal(16, result.Data.Length);
        Assert.Equal(24u, BinaryPrimitives.ReadUInt32BigEndian(result.Data));
    }
}
