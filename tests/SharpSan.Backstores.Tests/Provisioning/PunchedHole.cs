using SharpSan.Scsi;

namespace SharpSan.Backstores.Tests;

/// <summary>The deallocation check fileio and block share: a hole punched through the backstore is a
/// hole in the file that holds its blocks.</summary>
internal static class PunchedHole
{
    private const int MiB = 1024 * 1024;

    /// <summary>Deallocates the second and third MiB of <paramref name="backstore"/> (512-byte blocks), whose
    /// first 4 MiB were written into <paramref name="file"/>, and asserts that the file's allocation drops by
    /// those 2 MiB (less one file system block of slack at each end) and that they read back as zeros.
    /// Returns the 4 MiB as read afterwards, for the caller's checks of the neighbours.</summary>
    public static async Task<byte[]> DeallocateTheMiddleTwoMiBAsync(FileHandleBackstore backstore, string file, WriteFlags flags)
    {
        long before = TempDirectory.AllocatedBytes(file);
        Assert.True(before >= 4 * MiB, $"the written data must be allocated in {file} ({before} bytes)");

        await backstore.DeallocateAsync(MiB / 512, 2 * MiB / 512, flags, CancellationToken.None);

        long after = TempDirectory.AllocatedBytes(file);
        Assert.True(before - after >= 2 * MiB - 8192, $"the allocation must drop by the 2 MiB deallocated ({before} -> {after} bytes)");
        byte[] back = new byte[4 * MiB];
        await backstore.ReadAsync(0, back, CancellationToken.None);
        Assert.False(back.AsSpan(MiB, 2 * MiB).ContainsAnyExcept((byte)0));
        return back;
    }
}
