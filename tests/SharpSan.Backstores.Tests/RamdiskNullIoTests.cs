using SharpSan.Scsi;

namespace SharpSan.Backstores.Tests;

/// <summary>LIO's nullio ramdisk / tgt's bs_null: the size it is given, zeros read, writes dropped.</summary>
public sealed class RamdiskNullIoTests
{
    [Fact]
    public async Task Reads_zeros_even_after_a_write_and_takes_no_memory()
    {
        await using var b = (RamdiskBackstore)BackstoreFactory.Open("ramdisk", "null1", "", 1UL << 40, 512, writeBack: false, readOnly: false, nullIo: true);
        Assert.Equal((1UL << 40) / 512, b.BlockCount);
        Assert.False(b.WriteCacheEnabled);
        var data = Enumerable.Repeat((byte)0xA5, 4096).ToArray();
        await b.WriteAsync(123_456, data, WriteFlags.Fua, CancellationToken.None);
        var back = Enumerable.Repeat((byte)0xFF, 4096).ToArray();
        await b.ReadAsync(123_456, back, CancellationToken.None);
        Assert.All(back, x => Assert.Equal(0, x));
        var inline = Enumerable.Repeat((byte)0xFF, 512).ToArray();
        Assert.True(b.TryReadWithoutBlocking(0, inline));
        Assert.All(inline, x => Assert.Equal(0, x));
        Assert.True(b.TryWriteWithoutBlocking(0, data, WriteFlags.None));
        Assert.True(b.NullIo);
        Assert.Equal(0, b.AllocatedBytes);
    }

    [Fact]
    public void Without_nullio_a_ramdisk_keeps_its_data()
        => Assert.False(((RamdiskBackstore)BackstoreFactory.Open("ramdisk", "rd", "", 1 << 20, 512, false, false)).NullIo);
}
