namespace SharpSan.Scsi.Tests.Reporting;

/// <summary>Unit attentions of the device server's reported data (SPC-4 5.14).</summary>
public sealed class UnitAttentionTests
{
    private static readonly byte[] TestUnitReady = Harness.Cdb(0x00, 0, 0, 0, 0, 0);

    [Fact]
    public void Capacity_change_reaches_every_nexus_once()
    {
        var harness = new Harness();
        harness.Run(TestUnitReady).AssertGood();
        harness.Run(TestUnitReady, nexus: Harness.NexusB).AssertGood();
        harness.Unit.CapacityChanged();
        harness.Run(TestUnitReady).AssertSense(SenseKey.UnitAttention, 0x2A, 0x09);
        harness.Run(TestUnitReady).AssertGood();
        harness.Run(TestUnitReady, nexus: Harness.NexusB).AssertSense(SenseKey.UnitAttention, 0x2A, 0x09);
    }

    [Fact]
    public void Mode_select_changing_d_sense_tells_the_other_nexuses()
    {
        var harness = new Harness();
        harness.Run(TestUnitReady, nexus: Harness.NexusB).AssertGood();
        byte[] list = new byte[4 + 12];
        list[4] = 0x0A;
        list[5] = 0x0A;
        list[6] = 0x04; // D_SENSE
        list[7] = 0x10;
        list[12] = 0xFF;
        list[13] = 0xFF;
        harness.Run(Harness.Cdb(0x15, 0x10, 0, 0, list.Length, 0), list).AssertGood();
        harness.Run(TestUnitReady).AssertGood();
        harness.Run(TestUnitReady, nexus: Harness.NexusB).AssertSense(SenseKey.UnitAttention, 0x2A, 0x01);
    }

    [Fact]
    public void Mode_select_with_sp_is_refused_as_spc4_asks_of_a_unit_without_saved_pages()
    {
        Result result = new Harness().Run(Harness.Cdb(0x15, 0x11, 0, 0, 0, 0));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((1, 0), (result.FieldByte, result.FieldBit));
    }
}
