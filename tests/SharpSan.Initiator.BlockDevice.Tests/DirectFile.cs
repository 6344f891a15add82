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

    /// <summary>Reads <paramref name="length"/> bytes at <paramref name="offset"/> with O_DIRECT, through
    /// a page-aligned buffer (O_DIRECT requires aligned memory).</summary>
    public static unsafe byte[] Read(string path, long offset, int length)
    {
        using var h = Open(path);
        void* aligned = NativeMemory.AlignedAlloc((nuint)length, 4096);
        try
        {
            var span = new Span<byte>(aligned, length);
            int n = RandomAccess.Read(h, span, offset);
            return span[..n].ToArray();
        }
        finally
        {
            NativeMemory.AlignedFree(aligned);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open(string path, int flags);
}
