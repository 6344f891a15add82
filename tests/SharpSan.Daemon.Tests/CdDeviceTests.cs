using SharpSan.Config;
using SharpSan.Scsi;
using SharpSan.Scsi.Devices.Mmc;

namespace SharpSan.Daemon.Tests;

/// <summary>Storage objects with tgt's device settings: a cd over an image, settings and media changed
/// on the live unit, and what is refused.</summary>
public sealed class CdDeviceTests : IDisposable
{
    private readonly TempDirectory _dir = new(prefix: "sharpsan-cd-");

    public void Dispose() => _dir.Dispose();

    /// <summary>An "image" of <paramref name="sectors"/> 2048-byte sectors of recognisable bytes.</summary>
    private string Image(string name, int sectors, byte seed)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, Fixtures.Pattern(sectors * 2048, seed));
        return path;
    }

    private static StorageObjectConfig Cd(string name, string image) => new()
    {
        Plugin = "fileio", Name = name, Dev = image, BlockSize = 2048, Wwn = "6a0b1c2d-0000-4000-8000-0000000000c1",
        Device = new DeviceConfig { DeviceType = DeviceConfig.Cd },
    };

    private static SanConfig With(params StorageObjectConfig[] objects)
    {
        var config = new SanConfig();
        config.StorageObjects.AddRange(objects);
        return config;
    }

    [Fact]
    public async Task A_cd_is_an_mmc_unit_whose_tray_holds_the_image()
    {
        var set = await LogicalUnitSet.OpenAsync(With(Cd("iso1", Image("a.iso", 10, 1))), previous: null);
        var unit = set.Units["/backstores/fileio/iso1"].Unit;
        Assert.Equal(PeripheralDeviceType.CdDvd, unit.DeviceType);
        var tray = Assert.IsType<MmcTray>(unit.Backstore);
        Assert.Equal(("fileio", "iso1", 2048, 10UL, true), (tray.Plugin, tray.Name, tray.BlockSize, tray.BlockCount, tray.ReadOnly));
        Assert.True(unit.Removable);
        await set.CloseAllAsync();
        Assert.Equal(0, Fixtures.OpenDescriptors(_dir.File("a.iso")));
    }

    [Fact]
    public async Task Another_image_is_loaded_into_the_same_unit_once_the_change_is_committed()
    {
        var first = With(Cd("iso1", Image("a.iso", 10, 1)));
        var set = await LogicalUnitSet.OpenAsync(first, previous: null);
        var unit = set.Units["/backstores/fileio/iso1"].Unit;

        var second = Fixtures.Copy(first);
        second.StorageObjects[0].Dev = Image("b.iso", 25, 2);
        var next = await LogicalUnitSet.OpenAsync(second, set);
        Assert.Same(unit, next.Units["/backstores/fileio/iso1"].Unit);
        Assert.Equal(10UL, unit.Backstore.BlockCount); // nothing changes before the commit ...
        Assert.True(Fixtures.OpenDescriptors(_dir.File("b.iso")) > 0);

        await next.CommitAsync();                     // ... and everything after it
        await set.CloseUnitsNotInAsync(next);
        Assert.Equal(25UL, unit.Backstore.BlockCount);
        Assert.Equal(Fixtures.Pattern(2048, 2), await Fixtures.ReadAsync(unit, 0, 2048));
        Assert.Equal(0, Fixtures.OpenDescriptors(_dir.File("a.iso")));
        await next.CloseAllAsync();
    }

    [Fact]
    public async Task Medium_present_false_ejects_and_true_loads_again()
    {
        var config = With(Cd("iso1", Image("a.iso", 10, 1)));
        var set = await LogicalUnitSet.OpenAsync(config, previous: null);
        var unit = set.Units["/backstores/fileio/iso1"].Unit;

        var ejected = Fixtures.Copy(config);
        ejected.StorageObjects[0].Device.MediumPresent = false;
        var next = await LogicalUnitSet.OpenAsync(ejected, set);
        await next.CommitAsync();
        Assert.False(unit.MediumPresent);
        Assert.Equal(0, Fixtures.OpenDescriptors(_dir.File("a.iso")));

        var loaded = await LogicalUnitSet.OpenAsync(config, next);
        await loaded.CommitAsync();
        Assert.Same(unit, loaded.Units["/backstores/fileio/iso1"].Unit);
        Assert.True(unit.MediumPresent);
        Assert.Equal(10UL, unit.Backstore.BlockCount);
        await loaded.CloseAllAsync();
    }

    [Fact]
    public async Task A_failed_change_closes_the_image_it_opened_and_leaves_the_medium_in()
    {
        var config = With(Cd("iso1", Image("a.iso", 10, 1)));
        var set = await LogicalUnitSet.OpenAsync(config, previous: null);
        var unit = set.Units["/backstores/fileio/iso1"].Unit;

        var changed = Fixtures.Copy(config);
        changed.StorageObjects[0].Dev = Image("b.iso", 25, 2);
        changed.StorageObjects.Add(Fixtures.FileIo("bad", Fixtures.UncreatableFile(_dir), wwn: "6a0b1c2d-0000-4000-8000-0000000000c2"));
        await Assert.ThrowsAnyAsync<IOException>(() => LogicalUnitSet.OpenAsync(changed, set));

        Assert.Equal(0, Fixtures.OpenDescriptors(_dir.File("b.iso")));
        Assert.Equal(10UL, unit.Backstore.BlockCount);
        await set.CloseAllAsync();
    }

    [Fact]
    public async Task Device_settings_change_on_the_live_unit()
    {
        var config = With(Fixtures.Ramdisk("rd1"));
        var set = await LogicalUnitSet.OpenAsync(config, previous: null);
        var unit = set.Units["/backstores/ramdisk/rd1"].Unit;
        Assert.Equal(new LogicalUnitIdentity("SHARPSAN", "rd1", "1.0", config.StorageObjects[0].Wwn), unit.Identity);

        var changed = Fixtures.Copy(config);
        var d = changed.StorageObjects[0].Device;
        (d.VendorId, d.ProductId, d.ProductRevision, d.ScsiId, d.ScsiSerial) = ("IET", "VIRTUAL-DISK", "0001", "IET     00010001", "beaf11");
        (d.Readonly, d.Removable, d.DescriptorSense) = (true, true, true);
        var next = await LogicalUnitSet.OpenAsync(changed, set);
        await next.CommitAsync();

        Assert.Same(unit, next.Units["/backstores/ramdisk/rd1"].Unit);
        Assert.Equal(("IET", "VIRTUAL-DISK", "0001", "IET     00010001", "beaf11"),
            (unit.Identity.VendorId, unit.Identity.ProductId, unit.Identity.Revision, unit.Identity.T10VendorDesignator, unit.Identity.ProductSerialNumber));
        Assert.True(unit.WriteProtected);
        Assert.True(unit.Removable);
        Assert.True(unit.DescriptorSense);
        await next.CloseAllAsync();
    }

    [Fact]
    public async Task A_change_leaves_the_settings_it_does_not_touch_as_the_initiators_set_them()
    {
        var config = With(Fixtures.Ramdisk("rd1"));
        var set = await LogicalUnitSet.OpenAsync(config, previous: null);
        var unit = set.Units["/backstores/ramdisk/rd1"].Unit;
        unit.Reconfigure(unit.Identity, unit.Settings with { DescriptorSense = true }); // as MODE SELECT D_SENSE=1 would

        var changed = Fixtures.Copy(config);
        changed.StorageObjects[0].Device.VendorId = "IET";
        var next = await LogicalUnitSet.OpenAsync(changed, set);
        await next.CommitAsync();
        Assert.Equal("IET", unit.Identity.VendorId);
        Assert.True(unit.DescriptorSense);

        var back = Fixtures.Copy(changed);
        back.StorageObjects[0].Device.DescriptorSense = true; // the administrator's own change applies
        back.StorageObjects[0].Device.Online = false;
        var last = await LogicalUnitSet.OpenAsync(back, next);
        await last.CommitAsync();
        Assert.False(unit.Online);
        await last.CloseAllAsync();
    }

    [Fact]
    public async Task Thin_provisioning_of_a_cd_is_refused_with_its_reason()
    {
        var so = Cd("iso1", Image("a.iso", 10, 1));
        so.Device.ThinProvisioning = true;
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => LogicalUnitSet.OpenAsync(With(so), previous: null));
        Assert.Contains("thin provisioning", ex.Message);
        Assert.Contains("not a cd", ex.Message);
    }

    [Fact]
    public async Task A_tgt_target_gets_the_controller_at_lun_0_and_keeps_it_across_changes()
    {
        int port = TargetHarness.FreePort();
        var config = With(Fixtures.Ramdisk("tgt1_lun1"));
        var t = TargetHarness.AddTarget(config, "iqn.2026-01.test:tgt", port);
        t.Tgt = new TgtTargetConfig { Tid = 1 };
        t.Tpgs[0].Luns.Add(new LunConfig { Index = 1, StorageObject = "/backstores/ramdisk/tgt1_lun1" });
        ConfigValidator.Validate(config);
        await using var host = await TargetHost.StartAsync(config, new SharpSan.Target.TargetOptions());
        var luns = host.Server.Topology.Targets["iqn.2026-01.test:tgt"].Tpgs[0].Luns;
        var controller = luns[0];
        Assert.Equal(PeripheralDeviceType.StorageArrayController, controller.DeviceType);
        Assert.Equal(("IET", "Controller", "0001", "IET     00010000", "beaf10"),
            (controller.Identity.VendorId, controller.Identity.ProductId, controller.Identity.Revision,
             controller.Identity.T10VendorDesignator, controller.Identity.ProductSerialNumber));

        var next = Fixtures.Copy(config);
        next.StorageObjects.Add(Fixtures.Ramdisk("tgt1_lun2", wwn: "6a0b1c2d-0000-4000-8000-0000000000c3"));
        next.Targets[0].Tpgs[0].Luns.Add(new LunConfig { Index = 2, StorageObject = "/backstores/ramdisk/tgt1_lun2" });
        await host.ApplyAsync(next);
        Assert.Same(controller, host.Server.Topology.Targets["iqn.2026-01.test:tgt"].Tpgs[0].Luns[0]);

        next = Fixtures.Copy(next);
        next.Targets[0].Tgt!.ControllerLun = false;
        await host.ApplyAsync(next);
        Assert.False(host.Server.Topology.Targets["iqn.2026-01.test:tgt"].Tpgs[0].Luns.ContainsKey(0));
    }
}
