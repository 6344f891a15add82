using System.Runtime.InteropServices;
using SharpSan.Platform;

namespace SharpSan.Initiator.Fuse;

/// <summary>libc calls (Linux x86_64/arm64) for /dev/fuse, mount(2) and the loop driver.</summary>
internal static unsafe partial class Native
{
    public const int O_RDONLY = 0, O_RDWR = 2, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    public const int O_DSYNC = 0x1000;
    public const int EINTR = 4, EIO = 5, ENXIO = 6, EAGAIN = 11, ENOMEM = 12, EBUSY = 16, ENODEV = 19, EINVAL = 22,
        EFBIG = 27, ENOSPC = 28, ENOENT = 2, EPERM = 1, EACCES = 13, ENOSYS = 38, ENOTTY = 25, ENODATA = 61, EISDIR = 21, EOPNOTSUPP = 95;
    public const ulong MS_NOSUID = 2, MS_NODEV = 4;
    public const int MNT_DETACH = 2;
    public const short POLLIN = 1, POLLERR = 8, POLLHUP = 0x10, POLLNVAL = 0x20;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "writev", SetLastError = true)]
    public static partial nint WriteV(int fd, IoVec* iov, int count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mount(string source, string target, string fsType, ulong flags, string data);

    [LibraryImport("libc", EntryPoint = "umount2", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Umount2(string target, int flags);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, nint arg);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* arg);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "strerror")]
    private static partial nint StrError(int errno);

    public static int Errno => Marshal.GetLastPInvokeError();

    public static string Describe(int errno) => $"{Marshal.PtrToStringUTF8(StrError(errno)) ?? "error"} (errno {errno})";

    public static IOException Error(string what, int errno) => new($"{what}: {Describe(errno)}", errno);
}
