using System.Security.Cryptography;

namespace SharpSan.Initiator.Fuse.Tests;

public sealed class IscsiAttachTests
{
    /// <summary>Counts flushes on their way to the LUN (each is a SYNCHRONIZE CACHE).</summary>
    private sealed class CountingStore(IBlockStore inner) : IBlockStore
    {
        private int _flushes;
        public int Flushes => Volatile.Read(ref _flushes);
        public int BlockSize => inner.BlockSize;
        public ulong BlockCount => inner.BlockCount;
        public Task ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(lba, buffer, ct);
        public Task WriteAsync(ulong lba, ReadOnlyMemory<byte> data, bool fua, CancellationToken ct = default) => inner.WriteAsync(lba, data, fua, ct);
        public Task FlushAsync(CancellationToken ct = default)
        {
            Interlocked.Increment(ref _flushes);
            return inner.FlushAsync(ct);
        }
    }

    [FuseFact(needsLoop: true, needsExt4: true)]
    public async Task Ext4OnAnIscsiLunSurvivesRemountAndFsck()
    {
        string root = Directory.CreateTempSubdirectory("sharpsan-lun-").FullName;
        string backing = Path.Combine(root, "lun0.img");
        string runtime = Path.Combine(root, "run");
        string mnt = Directory.CreateDirectory(Path.Combine(root, "mnt")).FullName;
        IscsiLunRig? rig = null;
        try
        {
            rig = await IscsiLunRig.StartAsync(TestTarget.StartFileIoAsync(backing, 128 << 20));
            var device = rig.Device;
            Assert.Equal(128L << 20, device.SizeBytes);
            var store = new CountingStore(new ScsiBlockStore(device));
            string name = $"ip-127.0.0.1:{rig.Target.Port}-iscsi-{TestTarget.Name}-lun-0";
            var lun = await rig.AttachAsync(store, runtime, name);

            Assert.Equal(lun.DevicePath, new FileInfo(Path.Combine(runtime, "by-path", name)).LinkTarget);
            Assert.True(lun.Loop.DirectIo, $"direct I/O is off: {lun.Loop.DirectIoFailure}");
            Assert.Equal(device.BlockSize.ToString(), File.ReadAllText($"/sys/block/loop{lun.Loop.Number}/queue/logical_block_size").Trim());
            Assert.Equal(device.SizeBytes / 512, long.Parse(File.ReadAllText($"/sys/block/loop{lun.Loop.Number}/size")));

            await Tool.RunCheckedAsync("mkfs.ext4", "-q", lun.DevicePath);
            await rig.MountAsync(mnt, "-t", "ext4");

            var data = new byte[16 << 20];
            new Random(16).NextBytes(data);
            byte[] sha = SHA256.HashData(data);
            await File.WriteAllBytesAsync(Path.Combine(mnt, "random.bin"), data);
            int flushesBefore = store.Flushes;
            await Tool.RunCheckedAsync("sync", "-f", Path.Combine(mnt, "random.bin")); // syncfs: ext4 commits and flushes the device
            Assert.True(store.Flushes > flushesBefore, "a sync of the file system did not reach the LUN as SYNCHRONIZE CACHE");

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => lun.DetachAsync());
            Assert.Contains("is mounted at", refused.Message);
            Assert.Contains(mnt, refused.Message);
            Assert.False(lun.IsDetached);

            await rig.UnmountAsync();
            await rig.MountAsync(mnt, "-t", "ext4");
            Assert.Equal(sha, SHA256.HashData(await File.ReadAllBytesAsync(Path.Combine(mnt, "random.bin"))));
            await rig.UnmountAsync();

            await Tool.RunCheckedAsync("fsck.ext4", "-fn", lun.DevicePath);

            int loopNumber = lun.Loop.Number;
            await lun.DetachAsync();
            Assert.True(lun.IsDetached);
            Assert.False(File.Exists(Path.Combine(runtime, "by-path", name)) || new FileInfo(Path.Combine(runtime, "by-path", name)).LinkTarget is not null);
            Assert.DoesNotContain(MountInfo.MountPoints(), m => m.StartsWith(runtime, StringComparison.Ordinal));
        }
        finally
        {
            if (rig is not null) await rig.DisposeAsync();
        }
        try
        {
            // Independently of the initiator: the target's backing file holds an ext4 superblock
            // (s_magic 0xEF53, little-endian, 1024 + 56 bytes in).
            using var f = File.OpenHandle(backing);
            var magic = new byte[2];
            Assert.Equal(2, RandomAccess.Read(f, magic, 1080));
            Assert.Equal(new byte[] { 0x53, 0xEF }, magic);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
