namespace SharpSan.Initiator.Fuse.Tests;

public sealed class AttachedLunTests
{
    [FuseFact(needsLoop: true)]
    public async Task AttachReplacesStaleStateAndDetachCleansUp()
    {
        string runtime = Directory.CreateTempSubdirectory("sharpsan-run-").FullName;
        const string name = "ip-127.0.0.1:3260-iscsi-iqn.2025-01.org.example:t1-lun-0";
        var store = new MemoryBlockStore(512, 8192);
        FuseFileServer? stale = null;
        AttachedLun? lun = null;
        try
        {
            // What a crashed daemon leaves: a FUSE mount where the LUN's mount goes and a dangling by-path link.
            stale = FuseFileServer.Mount(new MemoryBlockStore(512, 8), Path.Combine(runtime, "fuse", name));
            Directory.CreateDirectory(Path.Combine(runtime, "by-path"));
            File.CreateSymbolicLink(Path.Combine(runtime, "by-path", "gone-lun-1"), "/dev/loop-does-not-exist");
            File.CreateSymbolicLink(Path.Combine(runtime, "by-path", name), "/dev/loop-does-not-exist");

            var actions = AttachedLun.CleanupStale(runtime);
            Assert.Contains(actions, a => a.StartsWith("unmounted stale FUSE mount", StringComparison.Ordinal));
            Assert.Contains(actions, a => a.Contains("gone-lun-1", StringComparison.Ordinal));
            Assert.DoesNotContain(MountInfo.MountPoints(), m => m.StartsWith(runtime, StringComparison.Ordinal));

            File.CreateSymbolicLink(Path.Combine(runtime, "by-path", name), "/dev/loop-does-not-exist");
            lun = await AttachedLun.AttachAsync(store, runtime, name);
            Assert.Equal(lun.DevicePath, new FileInfo(Path.Combine(runtime, "by-path", name)).LinkTarget);
            Assert.Equal(Path.Combine(runtime, "fuse", name, "lun"), lun.FilePath);
            Assert.Empty(lun.MountPoints);

            // The device reads the store.
            store.Data[..512].Fill(0x5A);
            var buffer = DirectFile.Read(lun.DevicePath, 0, 512);
            Assert.Equal(512, buffer.Length);
            Assert.All(buffer, b => Assert.Equal(0x5A, b));

            string link = lun.SymlinkPath;
            await lun.DetachAsync();
            Assert.False(File.Exists(link) || new FileInfo(link).LinkTarget is not null, "the by-path symlink is still there");
            Assert.False(Directory.Exists(Path.Combine(runtime, "fuse", name)), "the FUSE mount point is still there");
            await lun.DetachAsync(); // idempotent
        }
        finally
        {
            if (lun is not null) await lun.DisposeAsync();
            if (stale is not null) await stale.DisposeAsync();
            Directory.Delete(runtime, recursive: true);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("..")]
    [InlineData(".hidden")]
    public async Task BadNamesAreRefusedBeforeAnythingIsMounted(string name)
    {
        var store = new MemoryBlockStore(512, 8);
        await Assert.ThrowsAnyAsync<ArgumentException>(() => AttachedLun.AttachAsync(store, Path.GetTempPath(), name));
    }
}
