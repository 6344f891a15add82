using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace SharpSan.Initiator.Fuse.Tests;

internal static class DirectFile
{
    private const int O_RDWR = 2, O_DIRECT = 0x4000, O_CLOEXEC = 0x80000;

    /// <summary>Opens with O_DIRECT (FileOptions has no such flag): I/O bypasses the page cache.</summary>
    public static SafeFileHandle Open(string path)
    {
        int fd = open(path, O_RDWR | O_DIRECT | O_CLOEXEC);
        if (fd < 0) throw new IOException($"open {path} with O_DIRECT failed: errno {Marshal.GetLastPInvokeError()}");
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags);
}
