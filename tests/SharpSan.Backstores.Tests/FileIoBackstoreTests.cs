using SharpSan.Scsi;

namespace SharpSan.Backstores.Tests;

public class FileIoBackstoreTests
{
    private const ulong GiB = 1024 * 1024 * 1024;

    [Fact]
    public async Task Creates_a_sparse_file_of_the_requested_size()
    {
        using var dir = new TempDirectory();
        string path = dir.File("disk.img");
        await using var backstore = new FileIoBackstore("disk", path, GiB, 512, writeBack: true, readOnly: false);

        Assert.Equal(GiB, (ulong)new FileInfo(path).Length);
        Assert.Equal(GiB / 512, backstore.BlockCount);
        Assert.True(TempDirectory.AllocatedBytes(path) < 1024 * 1024, "a new backstore file must be sparse");
        Assert.Equal("fileio", backstore.Plugin);
        Assert.True(backstore.WriteCacheEnabled);
    }

    [Theory]
    [InlineData(512, true)]
    [InlineData(4096, true)]
    [InlineData(512, false)]
    [InlineData(4096, false)]
    public async Task Round_trips_blocks_at_the_right_offset(int blockSize, bool writeBack)
    {
        using var dir = new TempDirectory();
        string path = dir.File("rt.img");
        await using var backstore = new FileIoBackstore("rt", path, 64UL * (ulong)blockSize, blockSize, writeBack, readOnly: false);
        byte[] data = new byte[3 * blockSize];
        new Random(blockSize).NextBytes(data);

        await backstore.WriteAsync(7, data, WriteFlags.None, CancellationToken.None);
        await backstore.WriteAsync(20, data.AsMemory(0, blockSize), WriteFlags.Fua, CancellationToken.None);
        await backstore.FlushAsync(CancellationToken.None);

        byte[] back = new byte[3 * blockSize];
        await backstore.ReadAsync(7, back, CancellationToken.None);
        Assert.Equal(data, back);

        byte[] file = await File.ReadAllBytesAsync(path);
        Assert.Equal(data, file.AsSpan(7 * blockSize, 3 * blockSize).ToArray());
        Assert.Equal(data.AsSpan(0, blockSize).ToArray(), file.AsSpan(20 * blockSize, blockSize).ToArray());
        Assert.All(file.AsSpan(0, 7 * blockSize).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(!writeBack, !backstore.WriteCacheEnabled);
    }

    [Fact]
    public async Task Existing_file_with_size_zero_uses_the_file_length()
    {
        using var dir = new TempDirectory();
        string path = dir.File("existing.img");
        await File.WriteAllBytesAsync(path, new byte[8192]);
        await using var backstore = new FileIoBackstore("e", path, 0, 4096, true, false);
        Assert.Equal(2ul, backstore.BlockCount);
    }

    [Fact]
    public async Task Existing_smaller_file_is_extended_sparsely_keeping_its_data()
    {
        using var dir = new TempDirectory();
        string path = dir.File("small.img");
        await File.WriteAllBytesAsync(path, Enumerable.Repeat((byte)0xAB, 512).ToArray());
        await using var backstore = new FileIoBackstore("s", path, 256UL * 1024 * 1024, 512, true, false);

        Assert.Equal(256L * 1024 * 1024, new FileInfo(path).Length);
        Assert.True(TempDirectory.AllocatedBytes(path) < 1024 * 1024);
        byte[] first = new byte[1024];
        await backstore.ReadAsync(0, first, CancellationToken.None);
        Assert.All(first.AsSpan(0, 512).ToArray(), b => Assert.Equal(0xAB, b));
        Assert.All(first.AsSpan(512).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Size_not_a_multiple_of_the_block_size_is_refused()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<ArgumentException>(() => new FileIoBackstore("x", dir.File("x.img"), 10000, 4096, true, false));
        Assert.Contains("not a multiple of the block size 4096", error.Message);
        Assert.False(File.Exists(dir.File("x.img")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1024)]
    [InlineData(520)]
    public void Unsupported_block_size_is_refused(int blockSize)
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<ArgumentException>(() => new FileIoBackstore("x", dir.File("x.img"), 1 << 20, blockSize, true, false));
        Assert.Contains("use 512 or 4096", error.Message);
    }

    [Fact]
    public void Missing_file_without_size_is_refused()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<ArgumentException>(() => new FileIoBackstore("x", dir.File("none.img"), 0, 512, true, false));
        Assert.Contains("size is required", error.Message);
    }

    [Fact]
    public void Missing_file_for_a_read_only_backstore_is_not_found()
    {
        using var dir = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => new FileIoBackstore("x", dir.File("none.img"), 4096, 512, true, readOnly: true));
    }

    [Fact]
    public async Task Missing_directory_is_created()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "no", "such", "x.img");
        await using var b = new FileIoBackstore("x", path, 4096, 512, true, false);
        Assert.True(File.Exists(path));
        Assert.Equal(4096, new FileInfo(path).Length);
    }

    [Fact]
    public async Task Read_only_backstore_refuses_writes_with_an_io_exception()
    {
        using var dir = new TempDirectory();
        string path = dir.File("ro.img");
        await File.WriteAllBytesAsync(path, new byte[4096]);
        await using var backstore = new FileIoBackstore("ro", path, 0, 512, true, readOnly: true);
        Assert.True(backstore.ReadOnly);
        await Assert.ThrowsAsync<IOException>(async () => await backstore.WriteAsync(0, new byte[512], WriteFlags.None, CancellationToken.None));
    }
}
