namespace SharpSan.Config.Tests;

/// <summary>tgt's controller takes LUN 0 of a tgt target: the validator keeps it free.</summary>
public class ControllerLunValidationTests
{
    private static SanConfig TgtTarget(ulong lun, bool controllerLun)
    {
        var config = new SanConfig();
        config.StorageObjects.Add(new StorageObjectConfig { Plugin = "ramdisk", Name = "tgt1_lun1", Size = 1 << 20, Wwn = "w1" });
        var target = new TargetConfig { Wwn = "iqn.2026-01.test:tgt", Tgt = new TgtTargetConfig { Tid = 1, ControllerLun = controllerLun } };
        var tpg = new TpgConfig { Tag = 1 };
        tpg.Luns.Add(new LunConfig { Index = lun, StorageObject = "/backstores/ramdisk/tgt1_lun1" });
        target.Tpgs.Add(tpg);
        config.Targets.Add(target);
        return config;
    }

    [Fact]
    public void A_storage_object_at_lun_0_of_a_target_with_a_controller_is_refused()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigValidator.Validate(TgtTarget(0, controllerLun: true)));
        Assert.Equal("$.targets[0].tpgs[0].luns[0].index", ex.JsonPath);
        Assert.Contains("LUN 0 of a tgt target is its controller", ex.Reason);
    }

    [Fact]
    public void Lun_0_is_free_without_a_controller_and_lun_1_always()
    {
        ConfigValidator.Validate(TgtTarget(0, controllerLun: false)); // ietd.conf targets: LUN 0 is a disk
        ConfigValidator.Validate(TgtTarget(1, controllerLun: true));
    }
}
