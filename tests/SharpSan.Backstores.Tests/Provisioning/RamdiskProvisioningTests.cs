using SharpSan.Scsi;

namespace SharpSan.Backstores.Tests;

/// <summary>Ramdisk deallocation: whole chunks are given back, partial ones zeroed.</summary>
public class RamdiskProvisioningTests
{
    private const int Chunk = RamdiskBackstore.ChunkSize;

    private static async Task<RamdiskBackstore> FilledAsync(int chunks, int blockSize = 512)
    {
        var ram = new RamdiskBackstore("rd", 8UL * Chunk, blockSize);
        byte[] data = new byte[chunks * Chunk];
        Array.Fill(data, (byte)0xA5);
        await ram.WriteAsync(0, data, WriteFlags.None, CancellationToken.None);
        return ram;
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    public async Task Whole_chunks_are_freed_and_partial_ones_zeroed(int blockSize)
    {
        await using var ram = await FilledAsync(4, blockSize);
        Assert.Equal(4L * Chunk, ram.AllocatedBytes);
        ulong perChunk = (ulong)(Chunk / blockSize);

        // From the middle of chunk 0 to the middle of chunk 3: chunks 1 and 2 freed.
        await ram.DeallocateAsync(perChunk / 2, 2 * perChunk + perChunk, WriteFlags.None, CancellationToken.None);

        Assert.Equal(2L * Chunk, ram.AllocatedBytes);
        byte[] back = new byte[4 * Chunk];
        await ram.ReadAsync(0, back, CancellationToken.None);
        Assert.All(back.AsSpan(0, Chunk / 2).ToArray(), b => Assert.Equal(0xA5, b));
        Assert.False(back.AsSpan(Chunk / 2, 3 * Chunk).ContainsAnyExcept((byte)0));
        Assert.All(back.AsSpan(Chunk / 2 + 3 * Chunk).ToArray(), b => Assert.Equal(0xA5, b));
        Assert.Equal(perChunk, ram.UnmapGranularity);
    }

    [Fact]
    public async Task Lba_status_reports_held_and_free_chunks()
    {
        await using var ram = await FilledAsync(2);
        ulong perChunk = Chunk / 512;
        await ram.DeallocateAsync(perChunk, perChunk, WriteFlags.None, CancellationToken.None);
        Assert.Equal(new LbaStatusExtent(ProvisioningStatus.Mapped, perChunk - 5), ram.GetLbaStatus(5, ram.BlockCount - 5));
        Assert.Equal(new LbaStatusExtent(ProvisioningStatus.Deallocated, ram.BlockCount - perChunk), ram.GetLbaStatus(perChunk, ram.BlockCount - perChunk));
        Assert.True(ram.TryGetProvisioningUsage(out ProvisioningUsage usage));
        Assert.Equal(new ProvisioningUsage(perChunk, ram.BlockCount - perChunk), usage);
    }

    [Fact]
    public async Task Zeroing_clears_written_chunks_without_taking_new_ones()
    {
        await using var ram = await FilledAsync(1);
        await ram.WriteZeroesAsync(0, 4 * Chunk / 512, WriteFlags.None, CancellationToken.None);
        Assert.Equal(Chunk, ram.AllocatedBytes);
        byte[] back = new byte[Chunk];
        await ram.ReadAsync(0, back, CancellationToken.None);
        Assert.False(back.ContainsAnyExcept((byte)0));
    }

    [Fact]
    public async Task A_range_past_the_end_is_refused()
    {
        await using var ram = new RamdiskBackstore("rd", 1024 * 1024, 512);
        await Assert.ThrowsAsync<IOException>(async () => await ram.DeallocateAsync(2000, 100, WriteFlags.None, CancellationToken.None));
    }

    [Fact]
    public async Task Nullio_deallocates_nothing_and_reports_every_block_deallocated()
    {
        await using var ram = new RamdiskBackstore("null", 1024 * 1024, 512, nullIo: true);
        await ram.DeallocateAsync(0, 2048, WriteFlags.None, CancellationToken.None);
        Assert.Equal(new LbaStatusExtent(ProvisioningStatus.Deallocated, 2048), ram.GetLbaStatus(0, 2048));
    }
}
