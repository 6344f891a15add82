namespace SharpSan.Scsi.Tests.Block;

public class DefectDataAndFormatTests
{
    [Fact]
    public void Read_defect_data_returns_empty_valid_lists_in_the_requested_format()
    {
        var harness = new Harness();
        Result ten = harness.Run(Harness.Cdb(0x37, 0, 0x18 | 0x05, 0, 0, 0, 0, 0, 32, 0));
        ten.AssertGood();
        Assert.Equal(new byte[] { 0, 0x1D, 0, 0 }, ten.Data);

        Result twelve = harness.Run(Harness.Cdb(0xB7, 0x03, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0));
        twelve.AssertGood();
        Assert.Equal(new byte[] { 0, 0x03, 0, 0, 0, 0, 0, 0 }, twelve.Data);

        harness.Run(Harness.Cdb(0x37, 0, 0x07, 0, 0, 0, 0, 0, 32, 0)).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
    }

    private static byte[] FormatUnit(byte flags) => Harness.Cdb(0x04, flags, 0, 0, 0, 0);

    [Fact]
    public void Format_unit_without_parameter_list_succeeds_and_keeps_the_data()
    {
        var harness = new Harness();
        harness.Backstore.Data[100] = 0x42;
        harness.Run(FormatUnit(0), null, edtl: 0).AssertGood();
        Assert.Equal(0x42, harness.Backstore.Data[100]);
        harness.Run(FormatUnit(0x80), null, edtl: 0).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public void Format_unit_checks_the_parameter_list_header()
    {
        var harness = new Harness();
        harness.Run(FormatUnit(0x10), [0, 0x82, 0, 0]).AssertGood();                       // FOV + IMMED, short header
        harness.Run(FormatUnit(0x30), [0, 0, 0, 0, 0, 0, 0, 0]).AssertGood();              // long header
        harness.Run(FormatUnit(0x10), [0, 0x40, 0, 0]).AssertSense(SenseKey.IllegalRequest, 0x26, 0x00); // DPRY without FOV
        harness.Run(FormatUnit(0x10), [0, 0x88, 0, 0]).AssertSense(SenseKey.IllegalRequest, 0x26, 0x00); // IP
        harness.Run(FormatUnit(0x10), [1, 0, 0, 0]).AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);    // protection
        Result defects = harness.Run(FormatUnit(0x10), [0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0]);
        defects.AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.Equal(2, defects.FieldByte);
        harness.Run(FormatUnit(0x30), [0, 0, 0, 0], edtl: 4).AssertSense(SenseKey.IllegalRequest, 0x1A, 0x00);
    }
}
