using SharpSan.Scsi;

namespace SharpSan.Backstores.Tests;

public class RamdiskBackstoreTests
{
    [Fact]
    public async Task Memory_is_taken_only_for_written_chunks()
    {
        await using var ram = new RamdiskBackstore("rd", 1UL << 40, 512); // 1 TiB address space
        Assert.Equal(0, ram.AllocatedBytes);

        byte[] zeros = new byte[8192];
        zeros[0] = 1;
        await ram.ReadAsync(12345, zeros, CancellationToken.None);
        Assert.All(zeros, b => Assert.Equal(0, b));
        Assert.Equal(0, ram.AllocatedBytes);

        await ram.WriteAsync(0, new byte[512], WriteFlags.None, CancellationToken.None);
        Assert.Equal(RamdiskBackstore.ChunkSize, ram.AllocatedBytes);

        // A write that straddles a chunk boundary takes the two chunks it touches.
        ulong lastBlockOfChunk5 = (6UL * RamdiskBackstore.ChunkSize / 512) - 1;
        await ram.WriteAsync(lastBlockOfChunk5, new byte[1024], WriteFlags.None, CancellationToken.None);
        Assert.Equal(3L * RamdiskBackstore.ChunkSize, ram.AllocatedBytes);
    }

    [Theory]
    [InlineData(512)]
    [InlineData(4096)]
    public async Task Round_trips_across_chunk_boundaries(int blockSize)
    {
        await using var ram = new RamdiskBackstore("rd", 8UL * 1024 * 1024, blockSize);
        byte[] data = new byte[3 * RamdiskBackstore.ChunkSize / 2];
        new Random(5).NextBytes(data);
        ulong lba = (ulong)(RamdiskBackstore.ChunkSize / 2 / blockSize);
        await ram.WriteAsync(lba, data, WriteFlags.Fua, CancellationToken.None);
        byte[] back = new byte[data.Length];
        await ram.ReadAsync(lba, back, CancellationToken.None);
        Assert.Equal(data, back);
    }

    [Fact]
    public async Task Concurrent_first_writes_to_one_chunk_allocate_it_once_and_keep_every_write()
    {
        await using var ram = new RamdiskBackstore("rd", 4UL * 1024 * 1024, 512);
        Parallel.For(0, 256, i =>
        {
            byte[] block = new byte[512];
            block.AsSpan().Fill((byte)(i + 1));
            ram.WriteAsync((ulong)i, block, WriteFlags.None, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        });

        Assert.Equal(RamdiskBackstore.ChunkSize, ram.AllocatedBytes);
        byte[] back = new byte[256 * 512];
        await ram.ReadAsync(0, back, CancellationToken.None);
        for (int i = 0; i < 256; i++)
        {
            Assert.Equal((byte)(i + 1), back[i * 512]);
            Assert.Equal((byte)(i + 1), back[(i * 512) + 511]);
        }
    }

    [Fact]
    public async Task Access_beyond_the_end_is_an_io_exception()
    {
        await using var ram = new RamdiskBackstore("rd", 1024 * 1024, 512);
        await Assert.ThrowsAsync<IOException>(async () => await ram.ReadAsync(2047, new byte[1024], CancellationToken.None));
    }

    [Fact]
    public void Bad_sizes_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new RamdiskBackstore("rd", 0, 512));
        Assert.Throws<ArgumentException>(() => new RamdiskBackstore("rd", 1000, 512));
        Assert.Throws<ArgumentException>(() => new RamdiskBackstore("rd", 1 << 20, 2048));
    }

    [Fact]
    public async Task Read_only_ramdisk_refuses_writes()
    {
        await using var ram = new RamdiskBackstore("rd", 1 << 20, 512, readOnly: true);
        await Assert.ThrowsAsync<IOException>(async () => await ram.WriteAsync(0, new byte[512], WriteFlags.None, CancellationToken.None));
    }
}
