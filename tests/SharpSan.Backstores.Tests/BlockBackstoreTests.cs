using SharpSan.Scsi;

namespace SharpSan.Backstores.Tests;

public class BlockBackstoreTests
{
    [BlockDeviceFact]
    public async Task Size_of_a_real_device_comes_from_the_kernel()
    {
        Assert.Null(Requirement.BlockDevice(out string device, out ulong size));
        // Read-only: the test never writes to a device it does not own.
        await using var backstore = new BlockBackstore("dev", device, 4096, writeBack: true, readOnly: true);
        Assert.Equal(size / 4096, backstore.BlockCount);
        Assert.Equal("block", backstore.Plugin);
        await Assert.ThrowsAsync<IOException>(async () => await backstore.WriteAsync(0, new byte[4096], WriteFlags.None, CancellationToken.None));
    }

    [Fact]
    public void A_regular_file_is_not_a_block_device()
    {
        using var dir = new TempDirectory();
        string path = dir.File("plain.img");
        File.WriteAllBytes(path, new byte[4096]);
        var error = Assert.Throws<ArgumentException>(() => new BlockBackstore("b", path, 512, true, false));
        Assert.Contains("not a block device", error.Message);
    }

    [Fact]
    public void A_missing_device_is_not_found()
    {
        var error = Assert.Throws<FileNotFoundException>(() => new BlockBackstore("b", "/dev/sharpsan-no-such-device", 512, true, false));
        Assert.Contains("does not exist", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Io_path_round_trips_over_a_file_stand_in(bool writeBack)
    {
        using var dir = new TempDirectory();
        string path = dir.File("stand-in.img");
        File.WriteAllBytes(path, new byte[(64 * 512) + 100]); // the partial tail block is not exported
        await using var backstore = new BlockBackstore("b", path, 512, writeBack, false, allowRegularFile: true);
        Assert.Equal(64ul, backstore.BlockCount);
        Assert.Equal(writeBack, backstore.WriteCacheEnabled);

        byte[] data = new byte[1024];
        new Random(9).NextBytes(data);
        await backstore.WriteAsync(62, data, WriteFlags.Fua, CancellationToken.None);
        await backstore.FlushAsync(CancellationToken.None);
        byte[] back = new byte[1024];
        await backstore.ReadAsync(62, back, CancellationToken.None);
        Assert.Equal(data, back);
        Assert.Equal(data, File.ReadAllBytes(path).AsSpan(62 * 512, 1024).ToArray());
    }
}
