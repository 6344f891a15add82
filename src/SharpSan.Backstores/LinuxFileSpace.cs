using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SharpSan.Backstores;

/// <summary>
/// Linux calls that give storage back or report where it is held (logical block provisioning, SBC-3
/// 4.7): fallocate(2) to punch holes and zero ranges in files and block devices, lseek(2) SEEK_DATA /
/// SEEK_HOLE to find a file's holes, ioctl BLKDISCARD for devices that discard without zeroing,
/// fstat(2) st_blocks and fstatvfs(3) for the space a file uses and the space left.
/// </summary>
internal static unsafe partial class LinuxFileSpace
{
    public const int FallocKeepSize = 0x01;
    public const int FallocPunchHole = 0x02;
    public const int FallocZeroRange = 0x10;

    private const int SeekData = 3;
    private const int SeekHole = 4;

    /// <summary>BLKDISCARD = _IO(0x12, 119): discard a byte range {start, length} of a block device.</summary>
    private const ulong BlkDiscard = 0x1277;

    public const int EOpNotSupp = 95;
    private const int ENxIo = 6;
    private const int EInval = 22;
    private const int ENoSys = 38;

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int FAllocate(SafeFileHandle fd, int mode, long offset, long length);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long LSeek(SafeFileHandle fd, long offset, int whence);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlRange(SafeFileHandle fd, ulong request, ulong* range);

    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int FStat(SafeFileHandle fd, byte* buffer);

    [LibraryImport("libc", EntryPoint = "fstatvfs", SetLastError = true)]
    private static partial int FStatVfs(SafeFileHandle fd, byte* buffer);

    /// <summary>fallocate(2) with <paramref name="mode"/>; returns 0 or the errno. EOPNOTSUPP, ENOSYS and
    /// EINVAL (a mode the file system or device does not know) come back as <see cref="EOpNotSupp"/>.</summary>
    public static int Allocate(SafeFileHandle handle, int mode, long offset, long length)
    {
        if (!OperatingSystem.IsLinux())
        {
            return EOpNotSupp;
        }

        if (FAllocate(handle, mode, offset, length) == 0)
        {
            return 0;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno is ENoSys or EInval ? EOpNotSupp : errno;
    }

    /// <summary>ioctl BLKDISCARD of a byte range; returns 0 or the errno.</summary>
    public static int Discard(SafeFileHandle handle, long offset, long length)
    {
        ulong* range = stackalloc ulong[2];
        range[0] = (ulong)offset;
        range[1] = (ulong)length;
        return IoctlRange(handle, BlkDiscard, range) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>
    /// Where the data at or after <paramref name="offset"/> begins (SEEK_DATA): the offset itself when it
    /// is in data, a later one after a hole, -1 when only a hole follows to the end of the file, and
    /// <paramref name="offset"/> when the file system cannot tell (everything counts as data).
    /// </summary>
    public static long NextData(SafeFileHandle handle, long offset)
    {
        if (!OperatingSystem.IsLinux())
        {
            return offset;
        }

        long result = LSeek(handle, offset, SeekData);
        if (result >= 0)
        {
            return result;
        }

        return Marshal.GetLastPInvokeError() == ENxIo ? -1 : offset;
    }

    /// <summary>Where the hole at or after <paramref name="offset"/> begins (SEEK_HOLE; the end of the file
    /// counts as a hole), or <see cref="long.MaxValue"/> when the file system cannot tell.</summary>
    public static long NextHole(SafeFileHandle handle, long offset)
    {
        if (!OperatingSystem.IsLinux())
        {
            return long.MaxValue;
        }

        long result = LSeek(handle, offset, SeekHole);
        return result >= 0 ? result : Marshal.GetLastPInvokeError() == ENxIo ? offset : long.MaxValue;
    }

    /// <summary>Bytes of storage the file holds (st_blocks x 512), or -1.</summary>
    public static long AllocatedBytes(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return -1;
        }

        // struct stat is 144 bytes on x86-64 and 128 on arm64; st_blocks is at byte 64 on both.
        byte* buffer = stackalloc byte[256];
        return FStat(handle, buffer) == 0 ? *(long*)(buffer + 64) * 512 : -1;
    }

    /// <summary>Bytes an unprivileged writer can still allocate on the file's file system
    /// (f_bavail x f_frsize), or -1.</summary>
    public static long AvailableBytes(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8)
        {
            return -1;
        }

        // struct statvfs on 64-bit Linux: f_bsize, f_frsize, f_blocks, f_bfree, f_bavail (8 bytes each).
        byte* buffer = stackalloc byte[256];
        if (FStatVfs(handle, buffer) != 0)
        {
            return -1;
        }

        ulong frsize = *(ulong*)(buffer + 8);
        ulong bavail = *(ulong*)(buffer + 32);
        return (long)Math.Min(frsize * bavail, long.MaxValue);
    }

    /// <summary>The file system's block size (st_blksize), or 0.</summary>
    public static int PreferredBlockSize(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        byte* buffer = stackalloc byte[256];
        if (FStat(handle, buffer) != 0)
        {
            return 0;
        }

        // st_blksize: a long at byte 56 on x86-64, an int at byte 56 on arm64 (little-endian: same low word).
        return *(int*)(buffer + 56);
    }
}
