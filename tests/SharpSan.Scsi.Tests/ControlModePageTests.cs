namespace SharpSan.Scsi.Tests;

/// <summary>The control mode page's TAS and QERR fields (SPC-4 7.5.8) and MODE SELECT of them.</summary>
public class ControlModePageTests
{
    private static readonly byte[] Tur = Harness.Cdb(0x00, 0, 0, 0, 0, 0);

    private static byte[] ModeSense6(int pc) => Harness.Cdb(0x1A, 0x08, (pc << 6) | 0x0A, 0, 255, 0);

    private static byte[] ModeSelect6(int length) => Harness.Cdb(0x15, 0x10, 0, 0, length, 0);

    /// <summary>The current control page as a MODE SELECT(6) parameter list (header fields zeroed).</summary>
    private static byte[] CurrentControlPage(Harness harness)
    {
        byte[] page = harness.Run(ModeSense6(0)).Data;
        page[0] = 0;
        page[2] = 0;
        return page;
    }

    [Fact]
    public void Tas_is_one_by_default_current_default_and_changeable()
    {
        var harness = new Harness();
        Assert.True(harness.Unit.TaskAbortedStatus);
        Assert.Equal(0x40, harness.Run(ModeSense6(0)).Data[4 + 5] & 0x40);      // current
        Assert.Equal(0x40, harness.Run(ModeSense6(2)).Data[4 + 5] & 0x40);      // default
        byte[] changeable = harness.Run(ModeSense6(1)).Data;
        Assert.Equal(0x40, changeable[4 + 5]);                                  // TAS changeable
        Assert.Equal(0x00, changeable[4 + 3] & 0x06);                           // QERR is not
    }

    [Fact]
    public void Settings_can_start_a_unit_with_tas_zero()
    {
        var unit = new LogicalUnit(new MemoryBackstore(), Harness.Identity, LogicalUnitSettings.Default with { TaskAbortedStatus = false });
        var harness = new Harness(unit);
        Assert.False(harness.Unit.TaskAbortedStatus);
        Assert.Equal(0, harness.Run(ModeSense6(0)).Data[4 + 5] & 0x40);
        Assert.False(harness.Unit.Settings.TaskAbortedStatus);
    }

    [Fact]
    public void Mode_select_clears_and_sets_tas_and_raises_mode_parameters_changed_for_others()
    {
        var harness = new Harness();
        harness.Run(Tur, nexus: Harness.NexusB).AssertGood();

        byte[] page = CurrentControlPage(harness);
        page[4 + 5] &= 0xBF;
        harness.Run(ModeSelect6(page.Length), page).AssertGood();
        Assert.False(harness.Unit.TaskAbortedStatus);
        Assert.Equal(0, harness.Run(ModeSense6(0)).Data[4 + 5] & 0x40);
        harness.Run(Tur, nexus: Harness.NexusB).AssertSense(SenseKey.UnitAttention, 0x2A, 0x01);
        harness.Run(Tur, nexus: Harness.NexusB).AssertGood();
        harness.Run(Tur).AssertGood();                                          // not for the changer

        page[4 + 5] |= 0x40;
        harness.Run(ModeSelect6(page.Length), page).AssertGood();
        Assert.True(harness.Unit.TaskAbortedStatus);
        harness.Run(Tur, nexus: Harness.NexusB).AssertSense(SenseKey.UnitAttention, 0x2A, 0x01);
    }

    [Fact]
    public void Mode_select_repeating_the_current_values_changes_nothing()
    {
        var harness = new Harness();
        harness.Run(Tur, nexus: Harness.NexusB).AssertGood();
        byte[] page = CurrentControlPage(harness);
        harness.Run(ModeSelect6(page.Length), page).AssertGood();
        harness.Run(Tur, nexus: Harness.NexusB).AssertGood();                   // no MODE PARAMETERS CHANGED
    }

    [Theory]
    [InlineData(0x02)] // QERR 01b: abort the nexus' tasks on CHECK CONDITION, not implemented
    [InlineData(0x06)] // QERR 11b
    public void Mode_select_changing_qerr_is_invalid_field_in_parameter_list(int qerr)
    {
        var harness = new Harness();
        byte[] page = CurrentControlPage(harness);
        page[4 + 3] |= (byte)qerr;
        page[4 + 5] &= 0xBF; // a TAS change in the same list is not applied either
        Result result = harness.Run(ModeSelect6(page.Length), page);
        result.AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.True(result.Sksv);
        Assert.False(result.CommandData);                                       // in the parameter list
        Assert.Equal(4 + 3, result.FieldByte);                                  // byte 3 of the page
        Assert.Equal(qerr == 0x02 ? 1 : 2, result.FieldBit);
        Assert.True(harness.Unit.TaskAbortedStatus);
    }
}
