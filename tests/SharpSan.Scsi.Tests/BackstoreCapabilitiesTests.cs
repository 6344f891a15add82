namespace SharpSan.Scsi.Tests;

/// <summary>What the engine reports comes from the capabilities the backstore declares.</summary>
public class BackstoreCapabilitiesTests
{
    private static byte[] Inquiry(bool evpd, byte page) => Harness.Cdb(0x12, evpd ? 1 : 0, page, 0x02, 0x00, 0);

    [Fact]
    public void A_plain_disk_reports_block_device_and_no_provisioning()
    {
        var harness = new Harness();
        Assert.Equal(0x00, harness.Run(Inquiry(false, 0)).Data[0]);
        Assert.Equal(0x00, harness.Run(Harness.Cdb16(0x9E, 0x10, 0, 32)).Data[14]);
        Assert.Equal(new byte[] { 0x00, 0xB2, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00 }, harness.Run(Inquiry(true, 0xB2)).Data);
    }

    [Fact]
    public void A_backstore_able_to_deallocate_is_reported_thin_only_when_the_unit_is_made_thin()
    {
        var backstore = new MemoryBackstore
        {
            Capabilities = new BackstoreCapabilities { ThinProvisioned = true, Unmap = true, UnmappedReadsZero = true },
        };
        // LIO's default (emulate_tpu=0, emulate_tpws=0): fully provisioned whatever the backstore can do.
        Assert.Equal(0x00, new Harness(backstore).Run(Harness.Cdb16(0x9E, 0x10, 0, 32)).Data[14]);

        var thin = new Harness(new LogicalUnit(backstore, Harness.Identity, new LogicalUnitSettings { Provisioning = LogicalBlockProvisioningSettings.Thin }), backstore);
        // READ CAPACITY(16) byte 14: LBPME | LBPRZ (SBC-3 5.16.2).
        Assert.Equal(0xC0, thin.Run(Harness.Cdb16(0x9E, 0x10, 0, 32)).Data[14]);
        // VPD B2h: LBPU | LBPWS | LBPWS10, LBPRZ; provisioning type thin (SBC-3 6.6.4).
        byte[] b2 = thin.Run(Inquiry(true, 0xB2)).Data;
        Assert.Equal(0xE4, b2[5]);
        Assert.Equal(0x02, b2[6]);
    }

    [Fact]
    public void The_device_type_is_the_backstores()
    {
        var backstore = new MemoryBackstore { Capabilities = new BackstoreCapabilities { DeviceType = PeripheralDeviceType.CdDvd } };
        var harness = new Harness(backstore);
        Assert.Equal(0x05, harness.Run(Inquiry(false, 0)).Data[0]);
        Assert.Equal(0x05, harness.Run(Inquiry(true, 0x80)).Data[0]);
    }
}
