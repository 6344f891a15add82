using SharpSan.Config;

namespace SharpSan.Daemon.Tests;

/// <summary>Opening the storage objects of a tree, and reusing them across a change.</summary>
public sealed class LogicalUnitSetTests
{
    [Fact]
    public async Task Every_storage_object_is_opened_under_its_path()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-daemon-");
        var config = new SanConfig();
        config.StorageObjects.Add(Fixtures.Ramdisk("rd1"));
        config.StorageObjects.Add(Fixtures.FileIo("disk1", dir.File("disk1.img")));

        var set = await LogicalUnitSet.OpenAsync(config, previous: null);
        try
        {
            Assert.Equal(["/backstores/fileio/disk1", "/backstores/ramdisk/rd1"], set.Units.Keys.Order());
            Assert.Equal("ramdisk", set.Units["/backstores/ramdisk/rd1"].Unit.Backstore.Plugin);
            Assert.Equal("fileio", set.Units["/backstores/fileio/disk1"].Unit.Backstore.Plugin);
            Assert.True(File.Exists(dir.File("disk1.img")));
        }
        finally
        {
            await set.CloseAllAsync();
        }
    }

    [Fact]
    public async Task An_unchanged_storage_object_keeps_its_unit_and_data()
    {
        var config = new SanConfig();
        config.StorageObjects.Add(Fixtures.Ramdisk("rd1"));
        var first = await LogicalUnitSet.OpenAsync(config, previous: null);
        var unit = first.Units["/backstores/ramdisk/rd1"].Unit;
        var data = Fixtures.Pattern(4096, 1);
        await Fixtures.WriteAsync(unit, 8, data);

        var changed = Fixtures.Copy(config);
        changed.StorageObjects.Add(Fixtures.Ramdisk("rd2", wwn: "6a0b1c2d-0000-4000-8000-0000000000cc"));
        var second = await LogicalUnitSet.OpenAsync(changed, first);
        await first.CloseUnitsNotInAsync(second);

        Assert.Same(unit, second.Units["/backstores/ramdisk/rd1"].Unit);
        Assert.Equal(data, await Fixtures.ReadAsync(unit, 8, 4096));
        await second.CloseAllAsync();
    }

    public static TheoryData<string> Changes => ["size", "wwn", "block_size", "write_back", "dev"];

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task A_changed_definition_opens_a_new_unit_and_closes_the_old_one(string change)
    {
        using var dir = new TempDirectory(prefix: "sharpsan-daemon-");
        var config = new SanConfig();
        config.StorageObjects.Add(Fixtures.FileIo("disk1", dir.File("disk1.img")));
        var first = await LogicalUnitSet.OpenAsync(config, previous: null);
        var old = first.Units["/backstores/fileio/disk1"].Unit;
        int openedByOne = Fixtures.OpenDescriptors(dir.File("disk1.img"));
        Assert.True(openedByOne > 0);

        var changed = Fixtures.Copy(config);
        var so = changed.StorageObjects[0];
        switch (change)
        {
            case "size": so.Size = 2 << 20; break;
            case "wwn": so.Wwn = "6a0b1c2d-0000-4000-8000-0000000000dd"; break;
            case "block_size": so.BlockSize = 4096; break;
            case "write_back": so.WriteBack = !so.WriteBack; break;
            case "dev": so.Dev = dir.File("disk2.img"); break;
        }
        var second = await LogicalUnitSet.OpenAsync(changed, first);
        await first.CloseUnitsNotInAsync(second);

        Assert.NotSame(old, second.Units["/backstores/fileio/disk1"].Unit);
        // The old unit's descriptors are closed: only the new unit's remain (write-back opens a
        // second, synchronous handle, so that change has its own count; closing the new set below
        // leaving none shows the old one's are gone there too).
        if (change != "write_back")
            Assert.Equal(change == "dev" ? 0 : openedByOne, Fixtures.OpenDescriptors(dir.File("disk1.img")));
        await second.CloseAllAsync();
        Assert.Equal(0, Fixtures.OpenDescriptors(dir.File("disk1.img")));
    }

    [Fact]
    public async Task A_dropped_storage_object_is_closed_and_the_kept_one_is_not()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-daemon-");
        var config = new SanConfig();
        config.StorageObjects.Add(Fixtures.FileIo("keep", dir.File("keep.img")));
        config.StorageObjects.Add(Fixtures.FileIo("drop", dir.File("drop.img"), wwn: "6a0b1c2d-0000-4000-8000-0000000000ee"));
        var first = await LogicalUnitSet.OpenAsync(config, previous: null);
        int keepOpen = Fixtures.OpenDescriptors(dir.File("keep.img"));

        var changed = Fixtures.Copy(config);
        changed.StorageObjects.RemoveAt(1);
        var second = await LogicalUnitSet.OpenAsync(changed, first);
        await first.CloseUnitsNotInAsync(second);

        Assert.Equal(0, Fixtures.OpenDescriptors(dir.File("drop.img")));
        Assert.Equal(keepOpen, Fixtures.OpenDescriptors(dir.File("keep.img")));
        await second.CloseAllAsync();
    }

    [Fact]
    public async Task A_failure_closes_what_this_open_opened_and_leaves_the_previous_set_alone()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-daemon-");
        var config = new SanConfig();
        config.StorageObjects.Add(Fixtures.FileIo("old", dir.File("old.img")));
        var first = await LogicalUnitSet.OpenAsync(config, previous: null);
        var oldUnit = first.Units["/backstores/fileio/old"].Unit;
        var data = Fixtures.Pattern(512, 2);
        await Fixtures.WriteAsync(oldUnit, 0, data);
        int oldOpen = Fixtures.OpenDescriptors(dir.File("old.img"));

        var changed = Fixtures.Copy(config);
        changed.StorageObjects.Add(Fixtures.FileIo("new", dir.File("new.img"), wwn: "6a0b1c2d-0000-4000-8000-0000000000f1"));
        changed.StorageObjects.Add(Fixtures.FileIo("bad", Fixtures.UncreatableFile(dir), wwn: "6a0b1c2d-0000-4000-8000-0000000000f2"));
        await Assert.ThrowsAnyAsync<IOException>(() => LogicalUnitSet.OpenAsync(changed, first));

        Assert.True(File.Exists(dir.File("new.img"))); // it was opened ...
        Assert.Equal(0, Fixtures.OpenDescriptors(dir.File("new.img"))); // ... and closed again
        Assert.Equal(oldOpen, Fixtures.OpenDescriptors(dir.File("old.img")));
        Assert.Same(oldUnit, Assert.Single(first.Units.Values).Unit);
        Assert.Equal(data, await Fixtures.ReadAsync(oldUnit, 0, 512));
        await first.CloseAllAsync();
    }

    [Fact]
    public async Task A_later_edit_of_the_callers_tree_does_not_change_what_was_opened()
    {
        var config = new SanConfig();
        config.StorageObjects.Add(Fixtures.Ramdisk("rd1"));
        var set = await LogicalUnitSet.OpenAsync(config, previous: null);
        var unit = set.Units["/backstores/ramdisk/rd1"].Unit;

        config.StorageObjects[0].Size = 4 << 20; // the caller edits its tree after applying it
        var next = await LogicalUnitSet.OpenAsync(config, set);

        Assert.Equal(1UL << 20, set.Units["/backstores/ramdisk/rd1"].Definition.Size);
        Assert.NotSame(unit, next.Units["/backstores/ramdisk/rd1"].Unit);
        await set.CloseUnitsNotInAsync(next);
        await next.CloseAllAsync();
    }
}
