namespace SharpSan.Config.Tests;

public class DemoConfigTests
{
    [Fact]
    public void Demo_config_is_the_documented_one_and_valid()
    {
        var config = DemoConfig.Create("/var/lib/sharpsand");
        ConfigValidator.Validate(config);

        var so = Assert.Single(config.StorageObjects);
        Assert.Equal(("fileio", "demo", "/var/lib/sharpsand/demo.img", 1073741824UL, true, 512), (so.Plugin, so.Name, so.Dev, so.Size, so.WriteBack, so.BlockSize));
        var target = Assert.Single(config.Targets);
        Assert.Equal("iqn.2026-11.io.sharpsan:demo", target.Wwn);
        var tpg = Assert.Single(target.Tpgs);
        Assert.Equal((1, true), ((int)tpg.Tag, tpg.Enable));
        Assert.Equal((false, true, false, true), (tpg.Authentication, tpg.GenerateNodeAcls, tpg.DemoModeWriteProtect, tpg.CacheDynamicAcls));
        var portal = Assert.Single(tpg.Portals);
        Assert.Equal(("127.0.0.1", 3260), (portal.IpAddress, portal.Port));
        var lun = Assert.Single(tpg.Luns);
        Assert.Equal((0UL, "/backstores/fileio/demo"), (lun.Index, lun.StorageObject));
    }

    [Fact]
    public void Demo_unit_serial_is_stable_and_uuid_shaped()
    {
        var a = DemoConfig.Create("/a").StorageObjects[0].Wwn;
        var b = DemoConfig.Create("/b").StorageObjects[0].Wwn;
        Assert.Equal(a, b);
        Assert.True(Guid.TryParseExact(a, "D", out var guid));
        Assert.Equal(5, guid.Version);
        Assert.NotEqual(a, DemoConfig.UnitSerial("other"));
    }
}
