namespace SharpSan.Interop.Tests;

/// <summary>Discovery, INQUIRY and READ CAPACITY with libiscsi's command-line tools.</summary>
[Collection("target")]
public sealed class LibiscsiToolTests
{
    private readonly TargetFixture _f;

    public LibiscsiToolTests(TargetFixture fixture)
    {
        _f = fixture;
        Tool.Require("iscsi-ls", "iscsi-inq", "iscsi-readcapacity16");
    }

    [Fact]
    public void Discovery_lists_targets_the_initiator_may_use_with_their_portal()
    {
        var r = Tool.Run("iscsi-ls", _f.Portal);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"Target:{TargetFixture.Open} Portal:127.0.0.1:{_f.Port},1", r.Stdout);
        // ACL-only targets (demo_mode_discovery=0 in the fixture) are not revealed to an initiator
        // that has no ACL there.
        Assert.DoesNotContain(TargetFixture.Guarded, r.Stdout);
        Assert.DoesNotContain(TargetFixture.Secure, r.Stdout);

        var reader = Tool.Run("iscsi-ls", "-i", TargetFixture.Reader, _f.Portal);
        Assert.True(reader.ExitCode == 0, reader.ToString());
        Assert.Contains($"Target:{TargetFixture.Guarded} Portal:127.0.0.1:{_f.Port},1", reader.Stdout);
    }

    [Fact]
    public void Discovery_with_luns_shows_every_lun_of_the_demo_target()
    {
        var r = Tool.Run("iscsi-ls", "-s", _f.Portal);
        Assert.True(r.ExitCode == 0, r.ToString());
        foreach (var lun in new[] { "Lun:0", "Lun:1", "Lun:2", "Lun:3", "Lun:4" }) Assert.Contains(lun, r.Stdout);
    }

    [Fact]
    public void Inquiry_reports_vendor_and_backstore_name()
    {
        var r = Tool.Run("iscsi-inq", _f.Url(TargetFixture.Open, 0));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Peripheral Device Type:DIRECT_ACCESS", r.Stdout);
        Assert.Contains("Vendor:SHARPSAN", r.Stdout);
        Assert.Contains("Product:disk1", r.Stdout);
    }

    [Fact]
    public void Inquiry_vpd_pages_unit_serial_and_device_identification()
    {
        var serial = Tool.Run("iscsi-inq", "-e", "1", "-c", "128", _f.Url(TargetFixture.Open, 0));
        Assert.True(serial.ExitCode == 0, serial.ToString());
        var wwn = _f.Config.StorageObjects.Single(s => s.Name == "disk1").Wwn;
        Assert.Contains(wwn, serial.Stdout);

        var ids = Tool.Run("iscsi-inq", "-e", "1", "-c", "131", _f.Url(TargetFixture.Open, 0));
        Assert.True(ids.ExitCode == 0, ids.ToString());
        Assert.Contains("NAA", ids.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(0, 300L << 20, 512)]
    [InlineData(1, 64L << 20, 512)]
    [InlineData(2, 32L << 20, 4096)]
    public void Read_capacity_16_reports_size_and_block_length(int lun, long bytes, int blockSize)
    {
        var r = Tool.Run("iscsi-readcapacity16", _f.Url(TargetFixture.Open, lun));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"LOGICAL BLOCK LENGTH IN BYTES:{blockSize}", r.Stdout);
        Assert.Contains($"RETURNED LOGICAL BLOCK ADDRESS:{bytes / blockSize - 1}", r.Stdout);
        Assert.Contains($"Total size:{bytes}", r.Stdout);
    }

    [Fact]
    public void Unknown_target_is_refused()
    {
        var r = Tool.Run("iscsi-inq", _f.Url("iqn.2026-11.io.sharpsan.test:nope", 0));
        Assert.NotEqual(0, r.ExitCode);
    }
}
