using System.Runtime.InteropServices;

namespace SharpSan.Platform;

/// <summary>
/// What kind of file a path names (following symbolic links), for the config readers that must tell a
/// block device from a regular file the way the kernel does: .NET's file APIs do not expose the file
/// type bits. Uses statx(2), whose struct layout is the same on every Linux architecture (unlike
/// struct stat).
/// </summary>
public static partial class FileKind
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;    // STATX_TYPE: only stx_mode's type bits are wanted
    private const int StatxSize = 256;     // sizeof(struct statx)
    private const int ModeOffset = 28;     // offsetof(struct statx, stx_mode), a __u16
    private const int TypeMask = 0xF000;   // S_IFMT
    private const int BlockDevice = 0x6000; // S_IFBLK

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirFd, string path, int flags, uint mask, Span<byte> buffer);

    /// <summary>True when <paramref name="path"/> exists and is (or links to) a block device.</summary>
    public static bool IsBlockDevice(string path)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
            return false;
        var mode = BitConverter.ToUInt16(buffer.Slice(ModeOffset, 2));
        return (mode & TypeMask) == BlockDevice;
    }
}
