namespace SharpSan.Scsi.Tests;

/// <summary>SWP, the software write protect bit of the control mode page (SPC-4 7.5.8), as libiscsi's
/// set_swp/clear_swp (Sanitize.Readonly) drive it: MODE SENSE, flip the bit, MODE SELECT.</summary>
public class SoftwareWriteProtectTests
{
    private static byte[] ModeSense6(byte page, int pc = 0) => Harness.Cdb(0x1A, 0x08, (pc << 6) | page, 0, 255, 0);

    private static byte[] ModeSelect6(int length) => Harness.Cdb(0x15, 0x10, 0, 0, length, 0);

    private static Result SetSwp(Harness harness, bool on, ItNexus? nexus = null)
    {
        byte[] control = harness.Run(ModeSense6(0x0A), nexus: nexus).Data;
        control[0] = 0;                         // MODE DATA LENGTH is reserved in MODE SELECT
        control[2] = 0;                         // so is the device-specific parameter (WP)
        control[4 + 4] = (byte)(on ? control[4 + 4] | 0x08 : control[4 + 4] & ~0x08);
        return harness.Run(ModeSelect6(control.Length), control, nexus: nexus);
    }

    [Fact]
    public void Swp_refuses_writes_for_every_nexus_until_cleared_and_shows_in_mode_sense()
    {
        var harness = new Harness();
        harness.Run(Harness.Cdb(0, 0, 0, 0, 0, 0), nexus: Harness.NexusA).AssertGood();   // A is known to the LU
        int flushes = harness.Backstore.Flushes;

        SetSwp(harness, on: true, nexus: Harness.NexusB).AssertGood();
        Assert.True(harness.Unit.SoftwareWriteProtect);
        Assert.True(harness.Backstore.Flushes > flushes); // cached writes made durable first

        harness.Run(Harness.Cdb(0, 0, 0, 0, 0, 0)).AssertSense(SenseKey.UnitAttention, 0x2A, 0x01);
        Result current = harness.Run(ModeSense6(0x0A));
        Assert.Equal(0x80, current.Data[2] & 0x80);   // WP in the device-specific parameter
        Assert.Equal(0x08, current.Data[4 + 4] & 0x08);
        harness.Run(Harness.Write10(0, 1), new byte[512]).AssertSense(SenseKey.DataProtect, 0x27, 0x00);
        harness.Run(Harness.Write10(0, 1), new byte[512], nexus: Harness.NexusB).AssertSense(SenseKey.DataProtect, 0x27, 0x00);
        harness.Run(Harness.Read10(0, 1)).AssertGood();
        Assert.Equal(0, harness.Backstore.Writes);
        Assert.False(harness.Unit.Settings.WriteProtected);   // not the administrator's setting, not saved

        SetSwp(harness, on: false, nexus: Harness.NexusB).AssertGood();
        harness.Run(Harness.Cdb(0, 0, 0, 0, 0, 0)).AssertSense(SenseKey.UnitAttention, 0x2A, 0x01);
        Assert.Equal(0, harness.Run(ModeSense6(0x0A)).Data[2] & 0x80);
        harness.Run(Harness.Write10(0, 1), new byte[512]).AssertGood();
    }

    [Fact]
    public void Sanitize_is_refused_while_swp_is_set()
    {
        var harness = new Harness();
        SetSwp(harness, on: true).AssertGood();
        byte[] list = [1, 0, 0, 1, 0xAA];
        harness.Run(Block.BlockTestCdbs.Sanitize(0x01, (ushort)list.Length), list).AssertSense(SenseKey.DataProtect, 0x27, 0x00);
        Assert.False(harness.Unit.SanitizeInProgress);
    }

    [Fact]
    public void Saving_swp_is_refused()
    {
        var harness = new Harness();
        byte[] control = harness.Run(ModeSense6(0x0A)).Data;
        control[0] = 0;
        control[4 + 4] |= 0x08;
        harness.Run(Harness.Cdb(0x15, 0x11, 0, 0, control.Length, 0), control).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.False(harness.Unit.SoftwareWriteProtect);
    }
}
