namespace SharpSan.Backstores.Tests;

public class BackstoreFactoryTests
{
    [Fact]
    public async Task Opens_each_supported_plugin()
    {
        using var dir = new TempDirectory();
        await using (var fileio = BackstoreFactory.Open("fileio", "f", dir.File("f.img"), 1 << 20, 512, true, false))
        {
            Assert.IsType<FileIoBackstore>(fileio);
            Assert.Equal(2048ul, fileio.BlockCount);
        }

        await using (var ram = BackstoreFactory.Open("ramdisk", "r", "", 1 << 20, 4096, false, false))
        {
            Assert.IsType<RamdiskBackstore>(ram);
            Assert.Equal(256ul, ram.BlockCount);
        }

        await using (var rd = BackstoreFactory.Open("rd_mcp", "r", "", 1 << 20, 512, false, false))
        {
            Assert.IsType<RamdiskBackstore>(rd);
        }
    }

    [Fact]
    public async Task A_cd_image_opens_read_only_with_2048_byte_blocks_at_its_own_size()
    {
        using var dir = new TempDirectory();
        var iso = dir.File("image.iso");
        var content = new byte[5 * 2048];
        new Random(7).NextBytes(content);
        await File.WriteAllBytesAsync(iso, content);

        await using var image = BackstoreFactory.Open("fileio", "iso", iso, 0, 2048, false, true);
        Assert.Equal((2048, 5ul, true), (image.BlockSize, image.BlockCount, image.ReadOnly));
        var sector = new byte[2048];
        await image.ReadAsync(3, sector, CancellationToken.None);
        Assert.Equal(content.AsSpan(3 * 2048, 2048).ToArray(), sector);
        Assert.Throws<ArgumentException>(() => BackstoreFactory.Open("ramdisk", "r", "", 1 << 20, 2048, false, false));
    }

    [Theory]
    [InlineData("pscsi")]
    [InlineData("user")]
    public void Known_but_unsupported_plugins_are_not_supported(string plugin)
    {
        var error = Assert.Throws<NotSupportedException>(() => BackstoreFactory.Open(plugin, "p", "/dev/sg0", 0, 512, true, false));
        Assert.Contains($"'{plugin}'", error.Message);
    }

    [Fact]
    public void Unknown_plugin_is_an_argument_error()
    {
        var error = Assert.Throws<ArgumentException>(() => BackstoreFactory.Open("nbd", "p", "x", 0, 512, true, false));
        Assert.Contains("Unknown backstore plugin 'nbd'", error.Message);
    }

    [Fact]
    public void Missing_block_device_and_missing_path_are_reported()
    {
        Assert.Throws<FileNotFoundException>(() => BackstoreFactory.Open("block", "b", "/dev/sharpsan-missing", 0, 512, true, false));
        var error = Assert.Throws<ArgumentException>(() => BackstoreFactory.Open("fileio", "f", " ", 4096, 512, true, false));
        Assert.Contains("needs a device or file path", error.Message);
    }
}
