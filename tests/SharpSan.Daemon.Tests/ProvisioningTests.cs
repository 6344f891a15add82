using System.Text.Json.Nodes;
using SharpSan.Config;
using SharpSan.Scsi;

namespace SharpSan.Daemon.Tests;

/// <summary>Logical block provisioning from a storage object's LIO attributes (emulate_tpu,
/// emulate_tpws, unmap_zeroes_data, the UNMAP / WRITE SAME limits) and tgt's thin_provisioning, at
/// open and as a live change.</summary>
public sealed class ProvisioningTests
{
    private static SanConfig With(params StorageObjectConfig[] objects)
    {
        var config = new SanConfig();
        config.StorageObjects.AddRange(objects);
        return config;
    }

    private static StorageObjectConfig Attributes(StorageObjectConfig so, params (string Name, int Value)[] attributes)
    {
        foreach (var (name, value) in attributes)
            so.ExtraAttributes[name] = JsonValue.Create(value);
        return so;
    }

    [Fact]
    public async Task Lio_defaults_give_a_fully_provisioned_unit()
    {
        var set = await LogicalUnitSet.OpenAsync(With(Fixtures.Ramdisk("rd1")), previous: null);
        Assert.False(set.Units["/backstores/ramdisk/rd1"].Unit.Provisioning.IsThin);
        await set.CloseAllAsync();
    }

    [Fact]
    public async Task Emulate_tpu_and_the_limits_come_from_the_attributes()
    {
        var so = Attributes(Fixtures.Ramdisk("rd1"), ("emulate_tpu", 1), ("max_unmap_lba_count", 8192), ("max_unmap_block_desc_count", 0),
            ("max_write_same_len", 4096), ("unmap_granularity_alignment", 2));
        var set = await LogicalUnitSet.OpenAsync(With(so), previous: null);
        var provisioning = set.Units["/backstores/ramdisk/rd1"].Unit.Provisioning;
        Assert.True(provisioning is { Unmap: true, WriteSameUnmap: false, ReadsZero: true, MaximumUnmapLbaCount: 8192, MaximumWriteSameLength: 4096, UnmapGranularityAlignment: 2 });
        // 0 is LIO's "not configured": the default applies.
        Assert.Equal(LogicalBlockProvisioning.DefaultMaximumUnmapBlockDescriptorCount, provisioning.MaximumUnmapBlockDescriptorCount);
        // A ramdisk frees whole chunks.
        Assert.Equal((uint)(RamdiskBackstoreChunk / 512), provisioning.OptimalUnmapGranularity);
        await set.CloseAllAsync();
    }

    private const int RamdiskBackstoreChunk = SharpSan.Backstores.RamdiskBackstore.ChunkSize;

    [Fact]
    public async Task Tgts_thin_provisioning_means_unmap_and_write_same_unmap()
    {
        var so = Fixtures.Ramdisk("rd1");
        so.Device.ThinProvisioning = true;
        var set = await LogicalUnitSet.OpenAsync(With(so), previous: null);
        Assert.True(set.Units["/backstores/ramdisk/rd1"].Unit.Provisioning is { Unmap: true, WriteSameUnmap: true });
        await set.CloseAllAsync();
    }

    [Fact]
    public async Task Unmap_zeroes_data_0_clears_lbprz()
    {
        var so = Attributes(Fixtures.Ramdisk("rd1"), ("emulate_tpws", 1), ("unmap_zeroes_data", 0));
        var set = await LogicalUnitSet.OpenAsync(With(so), previous: null);
        Assert.True(set.Units["/backstores/ramdisk/rd1"].Unit.Provisioning is { WriteSameUnmap: true, ReadsZero: false });
        await set.CloseAllAsync();
    }

    [Fact]
    public async Task Turning_emulate_tpu_on_is_a_live_change_of_the_same_unit()
    {
        var config = With(Fixtures.Ramdisk("rd1"));
        var first = await LogicalUnitSet.OpenAsync(config, previous: null);
        var unit = first.Units["/backstores/ramdisk/rd1"].Unit;

        var next = Fixtures.Copy(config);
        Attributes(next.StorageObjects[0], ("emulate_tpu", 1), ("emulate_tpws", 1));
        var second = await LogicalUnitSet.OpenAsync(next, first);
        Assert.Same(unit, second.Units["/backstores/ramdisk/rd1"].Unit);
        Assert.False(unit.Provisioning.IsThin);
        await second.CommitAsync();
        Assert.True(unit.Provisioning is { Unmap: true, WriteSameUnmap: true });

        // And off again: the kept definition carries the attributes, so the change is seen.
        var third = await LogicalUnitSet.OpenAsync(config, second);
        await third.CommitAsync();
        Assert.False(unit.Provisioning.IsThin);
        await third.CloseAllAsync();
    }

    [Fact]
    public async Task Thin_provisioning_refused_on_a_live_cd_changes_nothing()
    {
        using var dir = new TempDirectory();
        // A cd is read-only and has nothing to deallocate: the change is refused while it can still be turned down.
        var path = dir.File("a.iso");
        File.WriteAllBytes(path, new byte[2048 * 4]);
        var cd = new StorageObjectConfig
        {
            Plugin = "fileio", Name = "iso1", Dev = path, BlockSize = 2048, Wwn = "6a0b1c2d-0000-4000-8000-0000000000c1",
            Device = new DeviceConfig { DeviceType = DeviceConfig.Cd },
        };
        var first = await LogicalUnitSet.OpenAsync(With(cd), previous: null);
        var next = With(Attributes(new StorageObjectConfig
        {
            Plugin = cd.Plugin, Name = cd.Name, Dev = cd.Dev, BlockSize = cd.BlockSize, Wwn = cd.Wwn, Device = cd.Device.Clone(),
        }, ("emulate_tpu", 1)));
        await Assert.ThrowsAsync<NotSupportedException>(() => LogicalUnitSet.OpenAsync(next, first));
        Assert.False(first.Units["/backstores/fileio/iso1"].Unit.Provisioning.IsThin);
        await first.CloseAllAsync();
    }
}
