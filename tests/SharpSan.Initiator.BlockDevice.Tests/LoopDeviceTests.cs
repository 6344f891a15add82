namespace SharpSan.Initiator.Fuse.Tests;

public sealed class LoopDeviceTests
{
    [FuseFact(needsLoop: true)]
    public async Task LoopDeviceOverTheFuseFileHasTheBlockSizeAndDirectIo()
    {
        var store = new MemoryBlockStore(4096, 2048); // 8 MiB
        string dir = Directory.CreateTempSubdirectory("sharpsan-loop-").FullName;
        FuseFileServer? server = null;
        LoopDevice? loop = null;
        try
        {
            server = FuseFileServer.Mount(store, Path.Combine(dir, "mnt"));
            loop = LoopDevice.Attach(server.FilePath, 4096, directIo: true);
            Assert.StartsWith("/dev/loop", loop.Path);
            Assert.Equal("4096", File.ReadAllText($"/sys/block/loop{loop.Number}/queue/logical_block_size").Trim());
            Assert.Equal((4096L * 2048 / 512).ToString(), File.ReadAllText($"/sys/block/loop{loop.Number}/size").Trim());
            Assert.True(loop.DirectIo, $"the kernel did not enable direct I/O on the loop device: {loop.DirectIoFailure}");
            Assert.Equal("1", File.ReadAllText($"/sys/block/loop{loop.Number}/loop/dio").Trim());
            Assert.Equal("1", File.ReadAllText($"/sys/block/loop{loop.Number}/loop/autoclear").Trim());
            Assert.Matches(@"^\d+:\d+$", loop.MajorMinor);

            var data = WriteAndReadThroughDevice(loop, store);
            int diff = data.AsSpan().CommonPrefixLength(store.Data.Slice(4096 * 100, data.Length));
            Assert.True(diff == data.Length, $"the store differs from what was written through the device from byte {diff} of {data.Length}");
            int flushes = store.FlushCount;
            using (var fs = new FileStream(loop.Path, FileMode.Open, FileAccess.ReadWrite))
                fs.Flush(flushToDisk: true); // fsync on the block device -> REQ_PREFLUSH -> FUSE_FSYNC
            Assert.True(store.FlushCount > flushes, "fsync on the loop device did not reach the store");
        }
        finally
        {
            loop?.Detach();
            if (server is not null) await server.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Writes 1 MiB through the device with O_DIRECT and reads a block the store changed.</summary>
    private static unsafe byte[] WriteAndReadThroughDevice(LoopDevice loop, MemoryBlockStore store)
    {
        var data = new byte[1 << 20];
        new Random(5).NextBytes(data);
        using var h = DirectFile.Open(loop.Path);
        var aligned = System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)data.Length, 4096);
        try
        {
            var span = new Span<byte>(aligned, data.Length);
            data.CopyTo(span);
            RandomAccess.Write(h, span, 4096 * 100);
            span.Clear();
            store.Data.Slice(0, 4096).Fill(0xAB);
            Assert.Equal(4096, RandomAccess.Read(h, span[..4096], 0));
            Assert.True(span[..4096].IndexOfAnyExcept((byte)0xAB) < 0, "a read through the loop device did not see the store's bytes");
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.AlignedFree(aligned);
        }
        return data;
    }
}
