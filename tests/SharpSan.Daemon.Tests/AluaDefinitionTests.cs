using SharpSan.Config;
using SharpSan.Scsi;

namespace SharpSan.Daemon.Tests;

/// <summary>alua_tpgs and alua_tg_pt_gp_name become a unit's target port groups; changes reach the
/// live unit, and what SET TARGET PORT GROUPS did shows in the live tree.</summary>
public sealed class AluaDefinitionTests
{
    private const string Rd = "/backstores/ramdisk/rd1";

    /// <summary>rd1 exported by target 1 (tags 1 and 2, groups "left" and "right") and target 2 (tag 1, default group).</summary>
    private static SanConfig Config()
    {
        var config = new SanConfig();
        var so = Fixtures.Ramdisk("rd1");
        so.AluaGroups.Add(new AluaGroupConfig { Name = "left", TgPtGpId = 1, Preferred = true });
        so.AluaGroups.Add(new AluaGroupConfig { Name = "right", TgPtGpId = 2, AluaAccessState = 2 });
        config.StorageObjects.Add(so);
        var t1 = new TargetConfig { Wwn = Fixtures.Target1 };
        foreach (var (tag, group) in new[] { ((ushort)1, "left"), ((ushort)2, "right") })
        {
            var tpg = new TpgConfig { Tag = tag, GenerateNodeAcls = true };
            tpg.Luns.Add(new LunConfig { Index = 0, StorageObject = Rd, AluaTgPtGp = group });
            t1.Tpgs.Add(tpg);
        }
        config.Targets.Add(t1);
        var t2 = new TargetConfig { Wwn = "iqn.2026-11.io.sharpsan:two" };
        var tpg2 = new TpgConfig { Tag = 1, GenerateNodeAcls = true };
        tpg2.Luns.Add(new LunConfig { Index = 0, StorageObject = Rd });
        t2.Tpgs.Add(tpg2);
        config.Targets.Add(t2);
        ConfigValidator.Validate(config);
        return config;
    }

    [Fact]
    public void Relative_port_ids_are_unique_across_targets_keeping_tags_where_free()
    {
        var ids = AluaDefinition.RelativePortIds(Config());
        Assert.Equal(1, ids[(Fixtures.Target1, 1)]);
        Assert.Equal(2, ids[(Fixtures.Target1, 2)]);
        Assert.Equal(3, ids[("iqn.2026-11.io.sharpsan:two", 1)]);
    }

    [Fact]
    public async Task The_unit_gets_its_groups_and_every_port_that_exports_it()
    {
        var config = Config();
        var set = await LogicalUnitSet.OpenAsync(config, previous: null);
        try
        {
            var unit = set.Units[Rd].Unit;
            Assert.Equal(["default_tg_pt_gp", "left", "right"], unit.Alua.Current.Select(g => g.Name));
            Assert.Equal(AsymmetricAccessState.Standby, unit.Alua.Current[2].State);
            Assert.True(unit.Alua.Current[1].Preferred);
            Assert.Equal(("left", "right", "default_tg_pt_gp"), (unit.Alua.GroupNameOf(1), unit.Alua.GroupNameOf(2), unit.Alua.GroupNameOf(3)));

            var topology = TopologyBuilder.Build(config, set);
            Assert.Equal(3, topology.Targets["iqn.2026-11.io.sharpsan:two"].Tpgs[0].RelativeTargetPortId);
        }
        finally
        {
            await set.CloseAllAsync();
        }
    }

    [Fact]
    public async Task A_changed_state_reaches_the_live_unit_at_commit_and_an_untouched_one_keeps_the_explicit_state()
    {
        var config = Config();
        var set = await LogicalUnitSet.OpenAsync(config, previous: null);
        try
        {
            var unit = set.Units[Rd].Unit;
            // An initiator moved "left" to standby explicitly (SET TARGET PORT GROUPS, as the SCSI tests drive it).
            unit.Alua.Configure([TargetPortGroupSettings.Default,
                AluaDefinition.Settings(config.StorageObjects[0].AluaGroups[0]) with { State = AsymmetricAccessState.Standby, Status = AluaStatus.AlteredByExplicitStpg },
                AluaDefinition.Settings(config.StorageObjects[0].AluaGroups[1])], new Dictionary<ushort, string> { [1] = "left", [2] = "right", [3] = "default_tg_pt_gp" });

            var next = Fixtures.Copy(config);
            next.StorageObjects[0].AluaGroups[1].AluaAccessState = 0; // the administrator: right becomes active/optimized
            var nextSet = await LogicalUnitSet.OpenAsync(next, set);
            Assert.Same(unit, nextSet.Units[Rd].Unit);
            Assert.Equal(AsymmetricAccessState.Standby, unit.Alua.Current[2].State); // not before the commit
            await nextSet.CommitAsync();
            Assert.Equal((AsymmetricAccessState.ActiveOptimized, AluaStatus.AlteredByImplicitAlua), (unit.Alua.Current[2].State, unit.Alua.Current[2].Status));
            Assert.Equal((AsymmetricAccessState.Standby, AluaStatus.AlteredByExplicitStpg), (unit.Alua.Current[1].State, unit.Alua.Current[1].Status));

            var live = Fixtures.Copy(next);
            AluaDefinition.Overlay(live, nextSet.Units);
            Assert.Equal((2, 1), (live.StorageObjects[0].AluaGroups[0].AluaAccessState, live.StorageObjects[0].AluaGroups[0].AluaAccessStatus));
            Assert.Equal((0, 2), (live.StorageObjects[0].AluaGroups[1].AluaAccessState, live.StorageObjects[0].AluaGroups[1].AluaAccessStatus));
            set = nextSet;
        }
        finally
        {
            await set.CloseAllAsync();
        }
    }
}
