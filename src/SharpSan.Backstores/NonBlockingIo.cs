using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using SharpSan.Platform;

namespace SharpSan.Backstores;

/// <summary>
/// What lets a read or write run on a fabric's receive path without a thread hop: whether a file lives
/// in memory (tmpfs/ramfs: fstatfs(2) f_type, so pread/pwrite never wait for a device), and
/// preadv2(2) with RWF_NOWAIT, which reads only what is already in the page cache and fails with
/// EAGAIN instead of waiting for the disk (Linux 4.14+).
/// </summary>
internal static unsafe partial class NonBlockingIo
{
    private const long TmpfsMagic = 0x01021994;
    private const long RamfsMagic = unchecked((long)0x858458f6);
    private const int RwfNoWait = 0x00000008;

    [LibraryImport("libc", EntryPoint = "fstatfs", SetLastError = true)]
    private static partial int FStatFs(SafeFileHandle fd, byte* buffer);

    [LibraryImport("libc", EntryPoint = "preadv2", SetLastError = true)]
    private static partial nint PReadV2(SafeFileHandle fd, IoVec* iov, int iovcnt, long offset, int flags);

    /// <summary>True when the file is on tmpfs or ramfs: its pages are the storage, so I/O on it does not block
    /// on a device (and fsync is a no-op).</summary>
    public static bool IsMemoryBacked(SafeFileHandle handle)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        // struct statfs is 120 bytes on 64-bit Linux; f_type is its first word on every architecture.
        byte* buffer = stackalloc byte[256];
        if (FStatFs(handle, buffer) != 0)
        {
            return false;
        }

        long type = IntPtr.Size == 8 ? *(long*)buffer : *(int*)buffer;
        return type is TmpfsMagic or RamfsMagic;
    }

    /// <summary>The result of one <see cref="TryReadCached"/>.</summary>
    public enum ReadOutcome
    {
        /// <summary>The whole range was copied from the page cache.</summary>
        Done,
        /// <summary>Some of it is not cached (EAGAIN or a short read): read it the blocking way.</summary>
        WouldBlock,
        /// <summary>The file system does not support RWF_NOWAIT (EOPNOTSUPP): stop asking.</summary>
        Unsupported,
    }

    /// <summary>preadv2(RWF_NOWAIT) of the whole of <paramref name="buffer"/> at <paramref name="offset"/>.</summary>
    public static ReadOutcome TryReadCached(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        if (!OperatingSystem.IsLinux())
        {
            return ReadOutcome.Unsupported;
        }

        fixed (byte* p = buffer)
        {
            var iov = new IoVec { Base = p, Length = (nuint)buffer.Length };
            nint n = PReadV2(handle, &iov, 1, offset, RwfNoWait);
            if (n == buffer.Length)
            {
                return ReadOutcome.Done;
            }

            if (n >= 0)
            {
                // Short: partly cached, or the end of the file (which the blocking path zero-fills).
                return ReadOutcome.WouldBlock;
            }

            int errno = Marshal.GetLastPInvokeError();
            return errno switch
            {
                11 => ReadOutcome.WouldBlock, // EAGAIN
                95 or 22 or 38 => ReadOutcome.Unsupported, // EOPNOTSUPP, EINVAL (old kernel), ENOSYS
                _ => throw new IOException($"preadv2 at offset {offset} failed: errno {errno}"),
            };
        }
    }
}
