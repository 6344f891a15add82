using Microsoft.Win32.SafeHandles;

namespace SharpSan.Initiator.Fuse.Tests;

public sealed class FuseFileServerTests
{
    private static async Task WithServerAsync(MemoryBlockStore store, Func<FuseFileServer, Task> body)
    {
        string dir = Directory.CreateTempSubdirectory("sharpsan-fuse-").FullName;
        FuseFileServer? server = null;
        try
        {
            server = FuseFileServer.Mount(store, Path.Combine(dir, "mnt"));
            await body(server);
        }
        finally
        {
            if (server is not null) await server.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static byte[] Random(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    [FuseFact]
    public async Task RootHoldsExactlyOneFileOfTheStoresSize()
    {
        var store = new MemoryBlockStore(4096, 1000);
        await WithServerAsync(store, server =>
        {
            var names = Directory.EnumerateFileSystemEntries(server.MountPoint).Select(Path.GetFileName).ToArray();
            Assert.Equal(new[] { "lun" }, names);
            var info = new FileInfo(server.FilePath);
            Assert.Equal(4096L * 1000, info.Length);
            Assert.False(File.Exists(Path.Combine(server.MountPoint, "other")));
            return Task.CompletedTask;
        });
    }

    [FuseFact]
    public async Task AlignedAndUnalignedWritesRoundTrip()
    {
        var store = new MemoryBlockStore(4096, 512); // 2 MiB
        var expected = new byte[store.Data.Length];
        await WithServerAsync(store, server =>
        {
            using var h = File.OpenHandle(server.FilePath, FileMode.Open, FileAccess.ReadWrite);
            (long Offset, int Length)[] cases =
            [
                (0, 4096), (8192, 65536), (1, 1), (4095, 2), (5000, 10000), (12288 - 7, 4096 + 14),
                (100_000, 1 << 20), (2 * 1024 * 1024 - 100, 100), (3, 4093), (4096 * 20 + 17, 4096 * 3),
            ];
            int seed = 1;
            foreach (var (offset, length) in cases)
            {
                var data = Random(length, seed++);
                RandomAccess.Write(h, data, offset);
                data.CopyTo(expected.AsSpan((int)offset));
                var back = new byte[length];
                Assert.Equal(length, RandomAccess.Read(h, back, offset));
                Assert.True(data.AsSpan().SequenceEqual(back), $"read back of {length} bytes at {offset}");
            }
            Assert.True(expected.AsSpan().SequenceEqual(store.Data), "the store holds exactly the bytes written");

            // A read across the end is short; at the end it is empty.
            var tail = new byte[8192];
            Assert.Equal(100, RandomAccess.Read(h, tail, store.Data.Length - 100));
            Assert.Equal(0, RandomAccess.Read(h, tail, store.Data.Length));
            return Task.CompletedTask;
        });
    }

    [FuseFact]
    public async Task ConcurrentWritesSharingPartialBlocksKeepEveryByte()
    {
        var store = new MemoryBlockStore(512, 8192); // 4 MiB
        var expected = new byte[store.Data.Length];
        await WithServerAsync(store, async server =>
        {
            using var h = File.OpenHandle(server.FilePath, FileMode.Open, FileAccess.ReadWrite);
            // 300 adjacent, unaligned, non-overlapping pieces: neighbours share a 512-byte block.
            var pieces = new List<(long Offset, byte[] Data)>();
            long at = 3;
            var rng = new Random(42);
            while (true)
            {
                int len = rng.Next(1, 40_000);
                if (at + len > expected.Length) break;
                var data = Random(len, pieces.Count + 100);
                pieces.Add((at, data));
                data.CopyTo(expected.AsSpan((int)at));
                at += len;
            }
            await Parallel.ForEachAsync(pieces, new ParallelOptions { MaxDegreeOfParallelism = 16 }, (p, _) =>
            {
                RandomAccess.Write(h, p.Data, p.Offset);
                return ValueTask.CompletedTask;
            });
            Assert.True(expected.AsSpan().SequenceEqual(store.Data), "concurrent read-modify-writes lost bytes");

            // Concurrent reads of the same pieces.
            await Parallel.ForEachAsync(pieces, new ParallelOptions { MaxDegreeOfParallelism = 16 }, (p, _) =>
            {
                var back = new byte[p.Data.Length];
                Assert.Equal(back.Length, RandomAccess.Read(h, back, p.Offset));
                Assert.True(p.Data.AsSpan().SequenceEqual(back), $"read at {p.Offset}");
                return ValueTask.CompletedTask;
            });
        });
    }

    [FuseFact]
    public async Task FsyncOnTheFileFlushesTheStore()
    {
        var store = new MemoryBlockStore(512, 2048);
        await WithServerAsync(store, server =>
        {
            using var fs = new FileStream(server.FilePath, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, 1);
            fs.Write(Random(1000, 7));
            int before = store.FlushCount;
            fs.Flush(flushToDisk: true); // fsync(2)
            Assert.True(store.FlushCount > before, "fsync did not reach IBlockStore.FlushAsync");
            return Task.CompletedTask;
        });
    }

    [FuseFact]
    public async Task StoreErrorsAreEioAndSizeChangesAreRefused()
    {
        var store = new MemoryBlockStore(512, 2048);
        await WithServerAsync(store, server =>
        {
            using var h = File.OpenHandle(server.FilePath, FileMode.Open, FileAccess.ReadWrite);
            store.Fault = new InvalidOperationException("medium error");
            var read = Assert.ThrowsAny<IOException>(() => RandomAccess.Read(h, new byte[512], 0));
            Assert.Contains("Input/output error", read.Message, StringComparison.OrdinalIgnoreCase); // EIO
            Assert.ThrowsAny<IOException>(() => RandomAccess.Write(h, new byte[512], 0));
            store.Fault = null;
            Assert.ThrowsAny<Exception>(() => RandomAccess.SetLength(h, 4096));
            Assert.Equal(512L * 2048, RandomAccess.GetLength(h));
            // Writing at the end cannot grow the LUN.
            Assert.ThrowsAny<IOException>(() => RandomAccess.Write(h, new byte[512], 512L * 2048));
            return Task.CompletedTask;
        });
    }

    [FuseFact]
    public async Task DisposeUnmountsAndEndsTheLoop()
    {
        var store = new MemoryBlockStore(512, 64);
        string dir = Directory.CreateTempSubdirectory("sharpsan-fuse-").FullName;
        try
        {
            var server = FuseFileServer.Mount(store, dir);
            try
            {
                Assert.Contains(MountInfo.MountPoints(), m => m == dir);
            }
            finally
            {
                await server.DisposeAsync();
            }
            await server.Completion;
            Assert.DoesNotContain(MountInfo.MountPoints(), m => m == dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
