using SharpSan.Scsi;

namespace SharpSan.Backstores.Tests;

/// <summary>fileio deallocation (fallocate PUNCH_HOLE), zeroing (ZERO_RANGE) and LBA status
/// (SEEK_DATA / SEEK_HOLE) on a real file system.</summary>
public class FileIoProvisioningTests
{
    private const int MiB = 1024 * 1024;

    private static async Task<FileIoBackstore> FilledAsync(string path, int megabytes, int blockSize = 512, bool writeBack = true)
    {
        var backstore = new FileIoBackstore("thin", path, (ulong)(16 * MiB), blockSize, writeBack, readOnly: false);
        byte[] data = new byte[megabytes * MiB];
        new Random(1).NextBytes(data);
        await backstore.WriteAsync(0, data, WriteFlags.None, CancellationToken.None);
        await backstore.FlushAsync(CancellationToken.None);
        return backstore;
    }

    [Fact]
    public async Task Deallocating_a_range_frees_its_blocks_and_it_reads_as_zeros()
    {
        using var dir = new TempDirectory();
        string path = dir.File("thin.img");
        await using var backstore = await FilledAsync(path, 4);
        byte[] back = await PunchedHole.DeallocateTheMiddleTwoMiBAsync(backstore, path, WriteFlags.None);
        Assert.True(back.AsSpan(0, MiB).ContainsAnyExcept((byte)0));
        Assert.True(back.AsSpan(3 * MiB, MiB).ContainsAnyExcept((byte)0));
    }

    [Fact]
    public async Task An_unaligned_range_is_zeroed_whole_and_its_neighbours_kept()
    {
        using var dir = new TempDirectory();
        await using var backstore = await FilledAsync(dir.File("thin.img"), 1);
        byte[] before = new byte[16 * 512];
        await backstore.ReadAsync(0, before, CancellationToken.None);

        await backstore.DeallocateAsync(3, 5, WriteFlags.None, CancellationToken.None);

        byte[] after = new byte[16 * 512];
        await backstore.ReadAsync(0, after, CancellationToken.None);
        Assert.False(after.AsSpan(3 * 512, 5 * 512).ContainsAnyExcept((byte)0));
        Assert.Equal(before.AsSpan(0, 3 * 512).ToArray(), after.AsSpan(0, 3 * 512).ToArray());
        Assert.Equal(before.AsSpan(8 * 512).ToArray(), after.AsSpan(8 * 512).ToArray());
    }

    [Fact]
    public async Task Lba_status_follows_the_holes_of_the_file()
    {
        using var dir = new TempDirectory();
        await using var backstore = await FilledAsync(dir.File("thin.img"), 4);
        ulong blocksPerMiB = MiB / 512;
        await backstore.DeallocateAsync(blocksPerMiB, blocksPerMiB, WriteFlags.None, CancellationToken.None);
        ulong capacity = backstore.BlockCount;

        Assert.Equal(new LbaStatusExtent(ProvisioningStatus.Mapped, blocksPerMiB), backstore.GetLbaStatus(0, capacity));
        Assert.Equal(new LbaStatusExtent(ProvisioningStatus.Deallocated, blocksPerMiB), backstore.GetLbaStatus(blocksPerMiB, capacity - blocksPerMiB));
        Assert.Equal(new LbaStatusExtent(ProvisioningStatus.Mapped, 2 * blocksPerMiB), backstore.GetLbaStatus(2 * blocksPerMiB, capacity - 2 * blocksPerMiB));
        // Never written: a hole to the end of the file.
        Assert.Equal(new LbaStatusExtent(ProvisioningStatus.Deallocated, capacity - 4 * blocksPerMiB), backstore.GetLbaStatus(4 * blocksPerMiB, capacity - 4 * blocksPerMiB));
        // The extent is bounded by what was asked for.
        Assert.Equal(new LbaStatusExtent(ProvisioningStatus.Mapped, 10), backstore.GetLbaStatus(5, 10));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Zeroing_writes_zeros_and_keeps_the_blocks_allocated(bool writeBack)
    {
        using var dir = new TempDirectory();
        string path = dir.File("thin.img");
        await using var backstore = await FilledAsync(path, 2, writeBack: writeBack);
        long before = TempDirectory.AllocatedBytes(path);

        await backstore.WriteZeroesAsync(8, 2048, WriteFlags.None, CancellationToken.None);

        byte[] back = new byte[2 * MiB];
        await backstore.ReadAsync(0, back, CancellationToken.None);
        Assert.False(back.AsSpan(8 * 512, 2048 * 512).ContainsAnyExcept((byte)0));
        Assert.True(back.AsSpan(0, 8 * 512).ContainsAnyExcept((byte)0));
        Assert.True(TempDirectory.AllocatedBytes(path) >= before - 4096, "zeroing must not deallocate");
        Assert.Equal(ProvisioningStatus.Mapped, backstore.GetLbaStatus(0, 16).Status);
    }

    [Fact]
    public async Task On_tmpfs_zeroing_falls_back_to_written_zeros()
    {
        Requirement.SkipUnlessMet(Directory.Exists("/dev/shm") ? null : "no /dev/shm");
        string path = Path.Combine("/dev/shm", $"sharpsan-prov-{Guid.NewGuid():N}.img");
        try
        {
            await using var backstore = await FilledAsync(path, 1);
            await backstore.WriteZeroesAsync(0, 100, WriteFlags.None, CancellationToken.None);
            await backstore.DeallocateAsync(200, 100, WriteFlags.None, CancellationToken.None);
            byte[] back = new byte[400 * 512];
            await backstore.ReadAsync(0, back, CancellationToken.None);
            Assert.False(back.AsSpan(0, 100 * 512).ContainsAnyExcept((byte)0));
            Assert.True(back.AsSpan(100 * 512, 100 * 512).ContainsAnyExcept((byte)0));
            Assert.False(back.AsSpan(200 * 512, 100 * 512).ContainsAnyExcept((byte)0));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Declares_thin_provisioning_and_reports_its_usage()
    {
        using var dir = new TempDirectory();
        await using var backstore = await FilledAsync(dir.File("thin.img"), 2, blockSize: 4096);
        Assert.True(backstore.Capabilities is { ThinProvisioned: true, Unmap: true, UnmappedReadsZero: true, WriteZeroes: true });
        Assert.True(backstore.UnmapGranularity >= 1);
        Assert.True(backstore.TryGetProvisioningUsage(out ProvisioningUsage usage));
        Assert.InRange(usage.UsedBlocks, 2UL * MiB / 4096, 3UL * MiB / 4096);
        Assert.True(usage.AvailableBlocks <= backstore.BlockCount - usage.UsedBlocks);
    }

    [Fact]
    public async Task A_read_only_file_cannot_be_deallocated()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ro.img");
        await (await FilledAsync(path, 1)).DisposeAsync();
        await using var backstore = new FileIoBackstore("ro", path, 0, 512, writeBack: true, readOnly: true);
        await Assert.ThrowsAsync<IOException>(async () => await backstore.DeallocateAsync(0, 1, WriteFlags.None, CancellationToken.None));
    }
}
