using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SharpSan.Backstores;

/// <summary>Linux block device queries through ioctl(2) (linux/fs.h).</summary>
internal static partial class LinuxBlockDevice
{
    /// <summary>BLKGETSIZE64 = _IOR(0x12, 114, size_t): device size in bytes.</summary>
    private const ulong BlkGetSize64 = 0x80081272;

    /// <summary>BLKSSZGET = _IO(0x12, 104): logical sector size.</summary>
    private const ulong BlkSszGet = 0x1268;

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlUInt64(SafeFileHandle fd, ulong request, out ulong value);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int IoctlInt32(SafeFileHandle fd, ulong request, out int value);

    /// <summary>Size in bytes, or false when the handle is not a block device (ENOTTY) or not on Linux.</summary>
    public static bool TryGetSize(SafeFileHandle handle, out ulong size)
    {
        size = 0;
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        return IoctlUInt64(handle, BlkGetSize64, out size) == 0;
    }

    /// <summary>Logical sector size in bytes, or false when unavailable.</summary>
    public static bool TryGetLogicalBlockSize(SafeFileHandle handle, out int blockSize)
    {
        blockSize = 0;
        return OperatingSystem.IsLinux() && IoctlInt32(handle, BlkSszGet, out blockSize) == 0;
    }
}
