using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SharpSan.Initiator.Fuse.Tests;

/// <summary>A discard on the attached LUN (blkdiscard, fstrim) reaches the store as a deallocation: the
/// loop device punches a hole in the FUSE file (FUSE_FALLOCATE), which the server turns into UNMAP.</summary>
public sealed partial class DiscardTests
{
    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int FAllocate(Microsoft.Win32.SafeHandles.SafeFileHandle fd, int mode, long offset, long length);

    private const int KeepSize = 0x01, PunchHole = 0x02, ZeroRange = 0x10;

    /// <summary>16 MiB of random data through the attached LUN, synced; returns the bytes the target's
    /// <paramref name="backing"/> file then has allocated.</summary>
    private static async Task<long> WriteSixteenMiBAsync(AttachedLun lun, string backing)
    {
        await Tool.RunCheckedAsync("dd", "if=/dev/urandom", $"of={lun.DevicePath}", "bs=1M", "count=16", "oflag=direct", "conv=fsync", "status=none");
        long written = TempDirectory.AllocatedBytes(backing);
        Assert.True(written >= 16 << 20, $"the backing file holds {written} bytes after 16 MiB were written");
        return written;
    }

    [FuseFact]
    public async Task Punching_a_hole_in_the_fuse_file_deallocates_whole_blocks_and_other_modes_are_refused()
    {
        var store = new MemoryBlockStore(512, 64);
        store.Data.Fill(0xAB);
        string dir = Directory.CreateTempSubdirectory("sharpsan-fuse-").FullName;
        FuseFileServer? server = null;
        try
        {
            server = FuseFileServer.Mount(store, Path.Combine(dir, "mnt"));
            using (var file = File.OpenHandle(server.FilePath, FileMode.Open, FileAccess.ReadWrite))
            {
                Assert.Equal(0, FAllocate(file, PunchHole | KeepSize, 4 * 512, 8 * 512));
                Assert.Equal(-1, FAllocate(file, ZeroRange | KeepSize, 0, 512));
                Assert.Equal(95, Marshal.GetLastPInvokeError()); // EOPNOTSUPP
            }

            Assert.Equal(1, store.DeallocateCount);
            Assert.False(store.Data.Slice(4 * 512, 8 * 512).ContainsAnyExcept((byte)0));
            Assert.Equal(0xAB, store.Data[4 * 512 - 1]);
            Assert.Equal(0xAB, store.Data[12 * 512]);
        }
        finally
        {
            if (server is not null) await server.DisposeAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    [FuseFact(needsLoop: true)]
    public async Task Blkdiscard_on_the_loop_device_deallocates_in_the_store()
    {
        Requirement.SkipUnlessMet(Requirement.Tools("blkdiscard"));
        string runtime = Directory.CreateTempSubdirectory("sharpsan-run-").FullName;
        var store = new MemoryBlockStore(512, 8192);
        store.Data.Fill(0xCD);
        AttachedLun? lun = null;
        try
        {
            lun = await AttachedLun.AttachAsync(store, runtime, "discard-test-lun-0");
            using (var p = Process.Start(new ProcessStartInfo("blkdiscard", $"-o 1048576 -l 1048576 {lun.DevicePath}") { RedirectStandardError = true })!)
            {
                string error = await p.StandardError.ReadToEndAsync();
                await p.WaitForExitAsync();
                Assert.True(p.ExitCode == 0, $"blkdiscard failed: {error}");
            }

            Assert.True(store.DeallocateCount > 0);
            Assert.False(store.Data.Slice(1 << 20, 1 << 20).ContainsAnyExcept((byte)0));
            Assert.Equal(0xCD, store.Data[(1 << 20) - 1]);
            Assert.Equal(0xCD, store.Data[2 << 20]);
        }
        finally
        {
            if (lun is not null) await lun.DisposeAsync();
            Directory.Delete(runtime, recursive: true);
        }
    }

    [FuseFact(needsLoop: true)]
    public async Task Blkdiscard_on_an_attached_thin_lun_frees_space_in_the_targets_backing_file()
    {
        Requirement.SkipUnlessMet(Requirement.Tools("blkdiscard", "dd"));
        string root = Directory.CreateTempSubdirectory("sharpsan-trim-").FullName;
        string backing = Path.Combine(root, "thin.img");
        IscsiLunRig? rig = null;
        try
        {
            rig = await IscsiLunRig.StartAsync(TestTarget.StartThinFileIoAsync(backing, 32 << 20));
            Assert.True(rig.Device.SupportsUnmap && rig.Device.UnmappedReadsZero);
            var lun = await rig.AttachAsync(new ScsiBlockStore(rig.Device), Path.Combine(root, "run"), "trim-test-lun-0");

            long written = await WriteSixteenMiBAsync(lun, backing);

            await Tool.RunCheckedAsync("blkdiscard", lun.DevicePath);

            long after = TempDirectory.AllocatedBytes(backing);
            Assert.True(after < 1 << 20, $"the discard did not free the backing file ({written} -> {after} bytes)");
            var back = DirectFile.Read(lun.DevicePath, 4 << 20, 4096);
            Assert.False(back.AsSpan().ContainsAnyExcept((byte)0));
        }
        finally
        {
            if (rig is not null) await rig.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>A discard punches a hole in the FUSE file, and the loop device's WRITE ZEROES does too:
    /// both promise zeros when read back, which UNMAP gives only on an LBPRZ unit. On a thin unit
    /// without LBPRZ the hole is refused and nothing is unmapped.</summary>
    [FuseFact(needsLoop: true)]
    public async Task A_thin_lun_without_lbprz_is_not_discarded_through_the_attached_device()
    {
        Requirement.SkipUnlessMet(Requirement.Tools("blkdiscard", "dd"));
        string root = Directory.CreateTempSubdirectory("sharpsan-nolbprz-").FullName;
        string backing = Path.Combine(root, "thin.img");
        IscsiLunRig? rig = null;
        try
        {
            rig = await IscsiLunRig.StartAsync(TestTarget.StartThinFileIoAsync(backing, 32 << 20, unmapZeroesData: false));
            Assert.True(rig.Device.SupportsUnmap);
            Assert.False(rig.Device.UnmappedReadsZero);
            var store = new ScsiBlockStore(rig.Device);
            Assert.False(store.SupportsDeallocate);
            var lun = await rig.AttachAsync(store, Path.Combine(root, "run"), "nolbprz-test-lun-0");

            long written = await WriteSixteenMiBAsync(lun, backing);

            // A discard is advisory: the kernel drops the refused one (blkdiscard still exits 0), no UNMAP.
            await Tool.RunCheckedAsync("blkdiscard", lun.DevicePath);
            Assert.Equal(written, TempDirectory.AllocatedBytes(backing));

            // WRITE ZEROES refused: the kernel writes the zeros itself (blkdev_issue_zeroout's fallback).
            await Tool.RunCheckedAsync("blkdiscard", "-z", "-o", "0", "-l", "1048576", lun.DevicePath);
            Assert.False(DirectFile.Read(lun.DevicePath, 0, 1 << 20).AsSpan().ContainsAnyExcept((byte)0));
            Assert.True(DirectFile.Read(lun.DevicePath, 1 << 20, 4096).AsSpan().ContainsAnyExcept((byte)0));
            Assert.Equal(written, TempDirectory.AllocatedBytes(backing));
        }
        finally
        {
            if (rig is not null) await rig.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }
}
