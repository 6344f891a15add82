using System.Text;

namespace SharpSan.Scsi.Tests.Devices;

/// <summary>tgt's per-LUN settings on a disk: identity overrides, removable, online, readonly, sense format.</summary>
public sealed class DeviceSettingsTests
{
    private static readonly ItNexus A = Harness.NexusA;
    private static readonly ItNexus B = Harness.NexusB;

    private static Harness Disk(LogicalUnitSettings settings, LogicalUnitIdentity? identity = null)
    {
        var backstore = new MemoryBackstore();
        var harness = new Harness(new LogicalUnit(backstore, identity ?? Harness.Identity, settings), backstore);
        harness.Run(Cdb("000000000000"), nexus: A);
        harness.Run(Cdb("000000000000"), nexus: B);
        return harness;
    }

    private static byte[] Cdb(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public void A_removable_disk_sets_rmb_and_ejects_with_start_stop_unit()
    {
        Harness disk = Disk(new LogicalUnitSettings { Removable = true });
        Assert.Equal(0x80, disk.Run(Cdb("12 00 00 00 60 00")).Data[1]);
        disk.Run(Cdb("1B 00 00 00 02 00"), nexus: A).AssertGood();
        disk.Run(Cdb("000000000000"), nexus: B).AssertSense(SenseKey.NotReady, 0x3A, 0x00);
        disk.Run(Harness.Read10(0, 1), nexus: B).AssertSense(SenseKey.NotReady, 0x3A, 0x00);
        disk.Run(Cdb("1B 00 00 00 03 00"), nexus: A).AssertGood();
        disk.Run(Cdb("000000000000"), nexus: B).AssertSense(SenseKey.UnitAttention, 0x28, 0x00);
        disk.Run(Harness.Read10(0, 1), nexus: B).AssertGood();
    }

    [Fact]
    public void A_fixed_disk_ignores_eject()
    {
        Harness disk = Disk(LogicalUnitSettings.Default);
        disk.Run(Cdb("1B 00 00 00 02 00")).AssertGood();
        disk.Run(Cdb("000000000000")).AssertGood();
    }

    [Theory]
    [InlineData(false, 0x04, 0x01)]
    [InlineData(true, 0x3A, 0x00)]
    public void An_offline_unit_answers_not_ready_as_tgt(bool removable, byte asc, byte ascq)
    {
        Harness disk = Disk(new LogicalUnitSettings { Online = false, Removable = removable });
        disk.Run(Cdb("000000000000")).AssertSense(SenseKey.NotReady, asc, ascq);
        disk.Run(Harness.Read10(0, 1)).AssertSense(SenseKey.NotReady, asc, ascq);
        disk.Run(Cdb("25 00 00000000 00 00 00 00")).AssertSense(SenseKey.NotReady, asc, ascq);
        disk.Run(Cdb("12 00 00 00 60 00")).AssertGood();
        Result sense = disk.Run(Cdb("03 00 00 00 12 00"));
        Assert.Equal(((byte)SenseKey.NotReady, asc, ascq), (sense.Data[2], sense.Data[12], sense.Data[13]));
    }

    [Fact]
    public void Bringing_a_unit_online_raises_not_ready_to_ready_change()
    {
        Harness disk = Disk(new LogicalUnitSettings { Online = false });
        disk.Unit.Reconfigure(Harness.Identity, LogicalUnitSettings.Default);
        disk.Run(Cdb("000000000000"), nexus: A).AssertSense(SenseKey.UnitAttention, 0x28, 0x00);
        disk.Run(Cdb("000000000000"), nexus: A).AssertGood();
    }

    [Fact]
    public void A_write_protected_unit_refuses_writes_and_reports_wp()
    {
        Harness disk = Disk(new LogicalUnitSettings { WriteProtected = true });
        disk.Run(Harness.Write10(0, 1), new byte[512]).AssertSense(SenseKey.DataProtect, 0x27, 0x00);
        Assert.Equal(0x80, disk.Run(Cdb("1A 00 3F 00 FF 00")).Data[2] & 0x80);
        disk.Unit.Reconfigure(Harness.Identity, LogicalUnitSettings.Default);
        disk.Run(Harness.Write10(0, 1), new byte[512]).AssertGood();
    }

    [Fact]
    public void Descriptor_sense_is_the_initial_d_sense()
    {
        Harness disk = Disk(new LogicalUnitSettings { DescriptorSense = true });
        Result result = disk.Run(Cdb("C1 00 00 00 00 00"));
        Assert.Equal(0x72, result.Sense[0]);
        Assert.Equal(0x04, disk.Run(Cdb("1A 00 0A 00 FF 00")).Data[4 + 8 + 2] & 0x04); // control page D_SENSE
    }

    [Fact]
    public void Tgt_identity_strings_replace_the_defaults()
    {
        var identity = Harness.Identity with
        {
            VendorId = "IET", ProductId = "VIRTUAL-DISK", Revision = "0001",
            T10VendorDesignator = "IET     00010001", ProductSerialNumber = "beaf11",
        };
        Harness disk = Disk(LogicalUnitSettings.Default, identity);
        Assert.Equal("IET     VIRTUAL-DISK    0001", Encoding.ASCII.GetString(disk.Run(Cdb("12 00 00 00 60 00")).Data, 8, 28));
        Assert.Equal(new string(' ', 30) + "beaf11", Encoding.ASCII.GetString(disk.Run(Cdb("12 01 80 00 40 00")).Data, 4, 36));
        byte[] id = disk.Run(Cdb("12 01 83 01 00 00")).Data;
        Assert.Equal(0x03, id[5]);  // NAA first, as before
        Assert.Equal("IET     00010001", Encoding.ASCII.GetString(id, 28, id[27]));
    }

    [Fact]
    public void New_inquiry_data_raises_inquiry_data_has_changed()
    {
        Harness disk = Disk(LogicalUnitSettings.Default);
        disk.Unit.Reconfigure(Harness.Identity with { ProductId = "renamed" }, LogicalUnitSettings.Default);
        disk.Run(Cdb("000000000000"), nexus: B).AssertSense(SenseKey.UnitAttention, 0x3F, 0x03);
        Assert.Equal("renamed         ", Encoding.ASCII.GetString(disk.Run(Cdb("12 00 00 00 60 00")).Data, 16, 16));
    }
}
