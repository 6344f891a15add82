using SharpSan.Config;
using SharpSan.Scsi;
using SharpSan.Target;

namespace SharpSan.Daemon.Tests;

/// <summary>TargetHost: start, live changes (units kept or replaced), refused changes that change nothing.</summary>
public sealed class TargetHostTests : IDisposable
{
    private readonly TempDirectory _dir = new(prefix: "sharpsan-daemon-");

    public void Dispose() => _dir.Dispose();

    private string Disk => _dir.File("lun0.img");

    /// <summary>The target of <see cref="TargetHarness"/> with LUN 0 on a fileio file in this test's folder.</summary>
    private Task<TargetHarness> StartAsync() => TargetHarness.StartAsync(setup: new TargetSetup { File = Disk, StorageName = "disk0", Size = 1 << 20 });

    private static LogicalUnit Lun(TargetHost host, string target = Fixtures.Target1, ulong lun = 0) =>
        host.Server.Topology.Targets[target].Tpgs[0].Luns[lun];

    [Fact]
    public async Task Start_opens_the_units_and_listens_on_the_portals()
    {
        await using var h = await StartAsync();

        Assert.Contains(h.Port, h.Server.BoundEndpoints.Select(e => e.Port));
        Assert.True(Fixtures.Listening(h.Port));
        Assert.Equal("disk0", Lun(h.Server).Backstore.Name);
        Assert.True(Fixtures.OpenDescriptors(Disk) > 0);
    }

    [Fact]
    public async Task A_unit_whose_definition_is_unchanged_is_kept_with_its_data()
    {
        await using var h = await StartAsync();
        var unit = Lun(h.Server);
        var data = Fixtures.Pattern(4096, 3);
        await Fixtures.WriteAsync(unit, 16, data);

        var next = Fixtures.Copy(h.Server.Config);
        next.StorageObjects.Add(Fixtures.Ramdisk("rd9"));
        next.Targets[0].Tpgs[0].Luns.Add(new LunConfig { Index = 1, StorageObject = "/backstores/ramdisk/rd9" });
        await h.Server.ApplyAsync(next);

        Assert.Same(next, h.Server.Config);
        Assert.Same(unit, Lun(h.Server));
        Assert.Equal(data, await Fixtures.ReadAsync(Lun(h.Server), 16, 4096));
        Assert.Equal("rd9", Lun(h.Server, lun: 1).Backstore.Name);
    }

    [Fact]
    public async Task A_unit_whose_definition_changed_is_replaced_and_the_old_one_closed()
    {
        await using var h = await StartAsync();
        var unit = Lun(h.Server);
        int open = Fixtures.OpenDescriptors(Disk);

        var next = Fixtures.Copy(h.Server.Config);
        next.StorageObjects[0].Size = 2 << 20;
        await h.Server.ApplyAsync(next);

        Assert.NotSame(unit, Lun(h.Server));
        Assert.Equal((2UL << 20) / 512, Lun(h.Server).Backstore.BlockCount);
        Assert.Equal(open, Fixtures.OpenDescriptors(Disk)); // the new unit's, not the old one's too
    }

    [Fact]
    public async Task A_dropped_unit_is_closed_and_a_dropped_portal_stops_listening()
    {
        await using var h = await StartAsync();
        int newPort = TargetHarness.FreePort();

        var next = new SanConfig();
        next.StorageObjects.Add(Fixtures.Ramdisk("rd9"));
        var t = TargetHarness.AddTarget(next, Fixtures.Target2, newPort);
        t.Tpgs[0].Luns.Add(new LunConfig { Index = 0, StorageObject = "/backstores/ramdisk/rd9" });
        await h.Server.ApplyAsync(next);

        Assert.Equal(0, Fixtures.OpenDescriptors(Disk));
        Assert.False(Fixtures.Listening(h.Port));
        Assert.True(Fixtures.Listening(newPort));
        Assert.Equal([newPort], h.Server.BoundEndpoints.Select(e => e.Port));
    }

    [Fact]
    public async Task A_portal_held_by_another_socket_refuses_the_change_and_changes_nothing()
    {
        await using var h = await StartAsync();
        using var holder = Fixtures.HoldPort(out int held);
        var before = h.Server.Config;
        var unit = Lun(h.Server);
        var data = Fixtures.Pattern(512, 4);
        await Fixtures.WriteAsync(unit, 0, data);
        var endpoints = h.Server.BoundEndpoints.ToList();
        var topology = h.Server.Server.Topology;
        int open = Fixtures.OpenDescriptors(Disk);

        var next = Fixtures.Copy(before);
        next.StorageObjects.Add(Fixtures.FileIo("new", _dir.File("new.img"), wwn: "6a0b1c2d-0000-4000-8000-0000000000f3"));
        var t = TargetHarness.AddTarget(next, Fixtures.Target2, held);
        t.Tpgs[0].Luns.Add(new LunConfig { Index = 0, StorageObject = "/backstores/fileio/new" });
        var ex = await Assert.ThrowsAnyAsync<IOException>(() => h.Server.ApplyAsync(next));

        Assert.Contains($":{held}", ex.Message);
        Assert.Same(before, h.Server.Config);
        Assert.Same(topology, h.Server.Server.Topology);
        Assert.Equal(endpoints, h.Server.BoundEndpoints);
        Assert.True(Fixtures.Listening(h.Port));
        Assert.Same(unit, Lun(h.Server));
        Assert.Equal(data, await Fixtures.ReadAsync(unit, 0, 512));
        Assert.Equal(open, Fixtures.OpenDescriptors(Disk));
        Assert.True(File.Exists(_dir.File("new.img"))); // opened for the change ...
        Assert.Equal(0, Fixtures.OpenDescriptors(_dir.File("new.img"))); // ... and closed when it failed
    }

    [Fact]
    public async Task A_backstore_that_cannot_be_opened_refuses_the_change_and_binds_nothing()
    {
        await using var h = await StartAsync();
        var before = h.Server.Config;
        var unit = Lun(h.Server);
        var endpoints = h.Server.BoundEndpoints.ToList();
        int newPort = TargetHarness.FreePort();

        var next = Fixtures.Copy(before);
        next.StorageObjects.Add(Fixtures.FileIo("new", _dir.File("new.img"), wwn: "6a0b1c2d-0000-4000-8000-0000000000f4"));
        next.StorageObjects.Add(Fixtures.FileIo("bad", Fixtures.UncreatableFile(_dir), wwn: "6a0b1c2d-0000-4000-8000-0000000000f5"));
        var t = TargetHarness.AddTarget(next, Fixtures.Target2, newPort);
        t.Tpgs[0].Luns.Add(new LunConfig { Index = 0, StorageObject = "/backstores/fileio/new" });
        t.Tpgs[0].Luns.Add(new LunConfig { Index = 1, StorageObject = "/backstores/fileio/bad" });
        await Assert.ThrowsAnyAsync<IOException>(() => h.Server.ApplyAsync(next));

        Assert.Same(before, h.Server.Config);
        Assert.Same(unit, Lun(h.Server));
        Assert.Equal(endpoints, h.Server.BoundEndpoints);
        Assert.False(Fixtures.Listening(newPort));
        Assert.Equal(0, Fixtures.OpenDescriptors(_dir.File("new.img")));
    }

    [Fact]
    public async Task A_refused_start_leaves_nothing_open()
    {
        using var holder = Fixtures.HoldPort(out int held);
        var config = TargetHarness.BasicConfig(held, new TargetSetup { File = Disk, StorageName = "disk0", Size = 1 << 20 });

        await Assert.ThrowsAnyAsync<IOException>(() => TargetHost.StartAsync(config, new TargetOptions()));

        Assert.Equal(0, Fixtures.OpenDescriptors(Disk));
    }

    [Fact]
    public async Task Dispose_stops_listening_and_closes_every_unit()
    {
        var h = await StartAsync();
        await h.DisposeAsync();

        Assert.False(Fixtures.Listening(h.Port));
        Assert.Equal(0, Fixtures.OpenDescriptors(Disk));
        await h.Server.DisposeAsync(); // twice is harmless
    }
}
