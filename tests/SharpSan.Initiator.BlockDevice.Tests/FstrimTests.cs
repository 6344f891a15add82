using System.Text.RegularExpressions;

namespace SharpSan.Initiator.Fuse.Tests;

/// <summary>
/// What an administrator does to give a thin LUN's space back: a file system on the attached LUN,
/// a large file written and deleted, then <c>fstrim</c>. ext4's FITRIM discards its free extents on
/// the loop device, the loop device punches holes in the FUSE file, the FUSE server sends UNMAP, and
/// the target's fileio backstore punches holes in its backing file.
/// </summary>
public sealed partial class FstrimTests
{
    private const int FileBytes = 64 << 20;

    [GeneratedRegex(@"\((\d+) bytes\) trimmed|: (\d+) bytes trimmed")]
    private static partial Regex TrimmedBytes();

    [FuseFact(needsLoop: true, needsExt4: true)]
    public async Task Fstrim_of_ext4_on_an_attached_thin_lun_frees_a_deleted_files_space_in_the_targets_backing_file()
    {
        Requirement.SkipUnlessMet(Requirement.Tools("fstrim", "umount", "sync"));
        string root = Directory.CreateTempSubdirectory("sharpsan-fstrim-").FullName;
        string backing = Path.Combine(root, "thin.img");
        string mnt = Directory.CreateDirectory(Path.Combine(root, "mnt")).FullName;
        IscsiLunRig? rig = null;
        try
        {
            rig = await IscsiLunRig.StartAsync(TestTarget.StartThinFileIoAsync(backing, 256 << 20));
            var device = rig.Device;
            Assert.True(device.SupportsUnmap);
            var lun = await rig.AttachAsync(new ScsiBlockStore(device), Path.Combine(root, "run"), "fstrim-test-lun-0");

            // The loop device offers discard (the kernel saw that the FUSE file takes fallocate and how
            // large its blocks are), so the file system's FITRIM has somewhere to go.
            string queue = $"/sys/block/loop{lun.Loop.Number}/queue";
            Assert.True(long.Parse(File.ReadAllText($"{queue}/discard_max_bytes").Trim()) > 0, "the loop device does not offer discard");
            Assert.Equal(device.BlockSize.ToString(), File.ReadAllText($"{queue}/discard_granularity").Trim());

            await Tool.RunCheckedAsync("mkfs.ext4", "-q", lun.DevicePath);
            // nodiscard: freed blocks are discarded by fstrim alone, not on deletion.
            await rig.MountAsync(mnt, "-t", "ext4", "-o", "nodiscard");

            string file = Path.Combine(mnt, "random.bin");
            var data = new byte[FileBytes];
            new Random(64).NextBytes(data);
            await File.WriteAllBytesAsync(file, data);
            await Tool.RunCheckedAsync("sync", "-f", file); // syncfs: the file's blocks reach the target
            long written = TempDirectory.AllocatedBytes(backing);
            Assert.True(written >= FileBytes, $"the backing file holds {written} bytes after a {FileBytes}-byte file was synced");

            File.Delete(file);
            // Commit the deletion: ext4 trims only blocks whose release is in the journal.
            await Tool.RunCheckedAsync("sync", "-f", mnt);
            long deleted = TempDirectory.AllocatedBytes(backing);
            Assert.True(deleted >= FileBytes, $"deleting the file freed backing space without a discard ({written} -> {deleted} bytes)");

            string output = await Tool.RunCheckedAsync("fstrim", "-v", mnt);
            var match = TrimmedBytes().Match(output);
            Assert.True(match.Success, $"fstrim -v said: {output}");
            long trimmed = long.Parse(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value);
            Assert.True(trimmed >= FileBytes, $"fstrim trimmed {trimmed} bytes, less than the deleted file: {output}");

            long after = TempDirectory.AllocatedBytes(backing);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"backing file allocated: {written} bytes after the write, {deleted} after the deletion, {after} after fstrim; {output.Trim()}");
            // A margin, not an exact figure: ext4 may keep some blocks, and the backing file system
            // frees whole blocks of its own.
            Assert.True(deleted - after >= FileBytes * 3L / 4,
                $"fstrim freed {deleted - after} bytes of the backing file ({deleted} -> {after}), not most of the deleted {FileBytes}");

            await rig.UnmountAsync();
            await lun.DetachAsync();
            Assert.True(lun.IsDetached);
            Assert.DoesNotContain(MountInfo.MountPoints(), m => m.StartsWith(root, StringComparison.Ordinal));
        }
        finally
        {
            if (rig is not null) await rig.DisposeAsync();
            Directory.Delete(root, recursive: true);
        }
    }
}
