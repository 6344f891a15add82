using System.Buffers.Binary;

namespace SharpSan.Scsi.Tests;

/// <summary>What a unit reports about its provisioning: READ CAPACITY(16) LBPME/LBPRZ (SBC-3 5.16.2),
/// VPD B0h limits (SBC-3 6.6.3) and B2h bits (SBC-3 6.6.4), and their change on a live unit.</summary>
public class ProvisioningReportTests
{
    private static byte[] Vpd(Harness harness, byte page) => harness.Run(Harness.Cdb(0x12, 1, page, 0x01, 0x00, 0)).Data;

    private static byte ReadCapacity16Byte14(Harness harness) => harness.Run(Harness.Cdb16(0x9E, 0x10, 0, 32)).Data[14];

    [Fact]
    public void A_thin_unit_reports_lbpme_lbprz_and_its_limits()
    {
        var harness = new ThinMemoryBackstore().Harness(LogicalBlockProvisioningSettings.Thin with { MaximumUnmapLbaCount = 8192, UnmapGranularityAlignment = 4 });
        Assert.Equal(0xC0, ReadCapacity16Byte14(harness));

        byte[] b2 = Vpd(harness, 0xB2);
        Assert.Equal(4, BinaryPrimitives.ReadUInt16BigEndian(b2.AsSpan(2)));
        Assert.Equal(0x80 | 0x40 | 0x20 | 0x04, b2[5]); // LBPU, LBPWS, LBPWS10, LBPRZ; ANC_SUP 0
        Assert.Equal(0x02, b2[6] & 0x07);               // PROVISIONING TYPE thin

        byte[] b0 = Vpd(harness, 0xB0);
        Assert.Equal(0x3C, BinaryPrimitives.ReadUInt16BigEndian(b0.AsSpan(2)));
        Assert.Equal(0, b0[4] & 0x01);                                                      // WSNZ
        Assert.Equal(8192u, BinaryPrimitives.ReadUInt32BigEndian(b0.AsSpan(20)));
        Assert.Equal(LogicalBlockProvisioning.DefaultMaximumUnmapBlockDescriptorCount, BinaryPrimitives.ReadUInt32BigEndian(b0.AsSpan(24)));
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32BigEndian(b0.AsSpan(28)));             // the backstore's granularity
        Assert.Equal(0x80000004u, BinaryPrimitives.ReadUInt32BigEndian(b0.AsSpan(32)));    // UGAVALID + alignment
        Assert.Equal((ulong)LogicalBlockProvisioning.DefaultMaximumWriteSameLength, BinaryPrimitives.ReadUInt64BigEndian(b0.AsSpan(36)));
    }

    [Fact]
    public void A_fully_provisioned_unit_reports_no_unmap_but_its_write_same_limit()
    {
        var harness = new ThinMemoryBackstore().Harness(LogicalBlockProvisioningSettings.FullyProvisioned);
        Assert.Equal(0x00, ReadCapacity16Byte14(harness));
        byte[] b2 = Vpd(harness, 0xB2);
        Assert.Equal(0, b2[5]);
        Assert.Equal(0, b2[6]);
        byte[] b0 = Vpd(harness, 0xB0);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(b0.AsSpan(20)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(b0.AsSpan(24)));
        Assert.Equal(0xFFFFUL, BinaryPrimitives.ReadUInt64BigEndian(b0.AsSpan(36)));
    }

    [Fact]
    public void Write_same_unmap_alone_reports_lbpws_and_no_unmap_counts()
    {
        var harness = new ThinMemoryBackstore().Harness(new LogicalBlockProvisioningSettings { WriteSameUnmap = true });
        Assert.Equal(0x60 | 0x04, Vpd(harness, 0xB2)[5]);
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(Vpd(harness, 0xB0).AsSpan(20)));
    }

    [Fact]
    public void Lbprz_follows_unmap_zeroes_data()
    {
        var harness = new ThinMemoryBackstore().Harness(LogicalBlockProvisioningSettings.Thin with { UnmapZeroesData = false });
        Assert.Equal(0x80, ReadCapacity16Byte14(harness));
        Assert.Equal(0xE0, Vpd(harness, 0xB2)[5]);
    }

    [Fact]
    public void Thin_provisioning_on_a_backstore_that_cannot_deallocate_is_refused()
    {
        Assert.Throws<NotSupportedException>(() => new ThinMemoryBackstore(canUnmap: false).Harness());
        Assert.Throws<NotSupportedException>(() => new LogicalUnit(new MemoryBackstore(), Harness.Identity,
            new LogicalUnitSettings { Provisioning = LogicalBlockProvisioningSettings.FullyProvisioned with { UnmapZeroesData = true, Unmap = true } }));
    }

    [Fact]
    public void Turning_thin_provisioning_on_a_live_unit_raises_inquiry_data_has_changed()
    {
        var harness = new ThinMemoryBackstore().Harness(LogicalBlockProvisioningSettings.FullyProvisioned);
        harness.Run(Harness.Cdb(0x00, 0, 0, 0, 0, 0)).AssertGood();
        harness.Unit.Reconfigure(Harness.Identity, harness.Unit.Settings with { Provisioning = LogicalBlockProvisioningSettings.Thin });
        harness.Run(Harness.Cdb(0x00, 0, 0, 0, 0, 0)).AssertSense(SenseKey.UnitAttention, 0x3F, 0x03);
        Assert.Equal(0xC0, ReadCapacity16Byte14(harness));
        Assert.Equal(LogicalBlockProvisioningSettings.Thin, harness.Unit.Settings.Provisioning);
    }

    [Fact]
    public void A_refused_live_change_changes_nothing()
    {
        var harness = new Harness(new MemoryBackstore());
        Assert.Throws<NotSupportedException>(() => harness.Unit.Reconfigure(Harness.Identity with { ProductId = "other" },
            harness.Unit.Settings with { Provisioning = LogicalBlockProvisioningSettings.Thin }));
        Assert.Equal("mem0", harness.Unit.Identity.ProductId);
        Assert.False(harness.Unit.Provisioning.IsThin);
    }
}
