using SharpSan.Scsi;

namespace SharpSan.Backstores.Tests;

/// <summary>The receive-path I/O contract: memory-backed files and ramdisks serve everything inline,
/// disk files serve only page-cache hits inline, and writes to disk files always go the blocking way.</summary>
public class NonBlockingIoTests
{
    [Fact]
    public async Task A_fileio_on_tmpfs_reads_and_writes_inline_with_the_same_bytes_as_the_blocking_path()
    {
        using var tmpfs = new TempDirectory("/dev/shm");
        string dir = tmpfs.Path;
        await using var backstore = new FileIoBackstore("shm", Path.Combine(dir, "d.img"), 1024 * 512, 512, writeBack: true, readOnly: false);
        byte[] data = new byte[8 * 512];
        new Random(1).NextBytes(data);
        Assert.True(backstore.TryWriteWithoutBlocking(16, data, WriteFlags.None));
        Assert.True(backstore.TryWriteWithoutBlocking(40, data.AsSpan(0, 512), WriteFlags.Fua));

        byte[] viaAsync = new byte[8 * 512];
        await backstore.ReadAsync(16, viaAsync, CancellationToken.None);
        Assert.Equal(data, viaAsync);
        byte[] inline = new byte[8 * 512];
        Assert.True(backstore.TryReadWithoutBlocking(16, inline));
        Assert.Equal(data, inline);
        byte[] fua = new byte[512];
        Assert.True(backstore.TryReadWithoutBlocking(40, fua));
        Assert.Equal(data.AsSpan(0, 512).ToArray(), fua);
    }

    [Fact]
    public async Task A_fileio_on_a_disk_file_never_writes_inline_and_reads_inline_only_what_is_cached()
    {
        using var dir = new TempDirectory();
        string path = dir.File("disk.img");
        await using var backstore = new FileIoBackstore("disk", path, 1024 * 512, 512, writeBack: true, readOnly: false);
        byte[] data = new byte[4 * 512];
        new Random(2).NextBytes(data);

        // A buffered write to a disk file may wait for writeback: it must be refused inline...
        Assert.False(backstore.TryWriteWithoutBlocking(8, data, WriteFlags.None));
        Assert.False(backstore.TryWriteWithoutBlocking(8, data, WriteFlags.Fua));
        // ...and done the blocking way, which leaves the pages cached.
        await backstore.WriteAsync(8, data, WriteFlags.None, CancellationToken.None);

        byte[] back = new byte[4 * 512];
        if (backstore.TryReadWithoutBlocking(8, back))
        {
            // RWF_NOWAIT served the cached pages: they must be the written bytes.
            Assert.Equal(data, back);
        }
        else
        {
            // File systems without RWF_NOWAIT refuse; the blocking read still works.
            await backstore.ReadAsync(8, back, CancellationToken.None);
            Assert.Equal(data, back);
        }
    }

    [Fact]
    public async Task A_read_only_backstore_refuses_an_inline_write_as_a_medium_error()
    {
        using var tmpfs = new TempDirectory("/dev/shm");
        string dir = tmpfs.Path;
        string path = Path.Combine(dir, "ro.img");
        await File.WriteAllBytesAsync(path, new byte[64 * 512]);
        await using var backstore = new FileIoBackstore("ro", path, 0, 512, writeBack: true, readOnly: true);
        Assert.Throws<IOException>(() => backstore.TryWriteWithoutBlocking(0, new byte[512], WriteFlags.None));
        Assert.True(backstore.TryReadWithoutBlocking(0, new byte[512]));
    }

    [Fact]
    public async Task Only_a_memory_backed_file_offers_its_pages_for_zero_copy_and_only_within_the_file()
    {
        using var tmpfs = new TempDirectory("/dev/shm");
        string dir = tmpfs.Path;
        string path = Path.Combine(dir, "z.img");
        await using (var shm = new FileIoBackstore("z", path, 64 * 4096, 4096, writeBack: true, readOnly: false))
        {
            byte[] data = new byte[2 * 4096];
            new Random(5).NextBytes(data);
            await shm.WriteAsync(10, data, WriteFlags.None, CancellationToken.None);
            Assert.True(shm.TryGetZeroCopyRange(10, data.Length, out var file, out long offset));
            Assert.Equal(10 * 4096, offset);
            byte[] viaFile = new byte[data.Length];
            Assert.Equal(data.Length, RandomAccess.Read(file!, viaFile, offset));
            Assert.Equal(data, viaFile);
            Assert.True(shm.TryGetZeroCopyRange(11, data.Length, out var again, out _));
            Assert.Same(file, again);

            // The file shrank underneath the LUN: the missing blocks must read as zeros, which only the copying path does.
            File.SetAttributes(path, FileAttributes.Normal);
            using (var f = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)) f.SetLength(8 * 4096);
            Assert.False(shm.TryGetZeroCopyRange(7, 2 * 4096, out _, out _));
        }

        using var disk = new TempDirectory();
        await using var onDisk = new FileIoBackstore("d", disk.File("d.img"), 64 * 512, 512, writeBack: true, readOnly: false);
        Assert.False(onDisk.TryGetZeroCopyRange(0, 512, out _, out _));
        Assert.False(((IBackstore)new RamdiskBackstore("r", 64 * 512, 512)).TryGetZeroCopyRange(0, 512, out _, out _));
    }

    [Fact]
    public async Task The_zero_copy_file_is_the_open_file_even_after_its_path_names_another()
    {
        using var tmpfs = new TempDirectory("/dev/shm");
        string dir = tmpfs.Path;
        string path = Path.Combine(dir, "lun.img");
        await using var shm = new FileIoBackstore("p", path, 16 * 512, 512, writeBack: true, readOnly: false);
        byte[] data = [.. Enumerable.Range(0, 512).Select(i => (byte)(i * 7))];
        await shm.WriteAsync(3, data, WriteFlags.None, CancellationToken.None);
        File.Move(path, Path.Combine(dir, "moved.img"));
        await File.WriteAllBytesAsync(path, new byte[16 * 512]);

        Assert.True(shm.TryGetZeroCopyRange(3, 512, out var file, out long offset));
        byte[] back = new byte[512];
        RandomAccess.Read(file!, back, offset);
        Assert.Equal(data, back);
    }

    [Fact]
    public void A_ramdisk_serves_everything_inline_and_checks_the_range()
    {
        var ram = new RamdiskBackstore("r", 64 * 512, 512);
        byte[] data = [.. Enumerable.Range(0, 1024).Select(i => (byte)i)];
        Assert.True(ram.TryWriteWithoutBlocking(10, data, WriteFlags.Fua));
        byte[] back = new byte[1024];
        Assert.True(ram.TryReadWithoutBlocking(10, back));
        Assert.Equal(data, back);
        Assert.Throws<IOException>(() => ram.TryReadWithoutBlocking(63, new byte[1024]));
    }
}
