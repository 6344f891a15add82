using System.Buffers.Binary;
using System.Text;

namespace SharpSan.Initiator.Fuse;

/// <summary>
/// A loop block device (/dev/loopN) bound to a file with the loop driver's ioctls: LOOP_CTL_GET_FREE,
/// then LOOP_CONFIGURE (Linux 5.8+) or LOOP_SET_FD + LOOP_SET_STATUS64 + LOOP_SET_BLOCK_SIZE +
/// LOOP_SET_DIRECT_IO on older kernels. The device has LO_FLAGS_AUTOCLEAR, and this object keeps it
/// open: if the process dies the kernel detaches it as soon as nobody else (a mount) holds it.
/// </summary>
public sealed class LoopDevice : IDisposable
{
    // include/uapi/linux/loop.h
    private const uint LOOP_SET_FD = 0x4C00, LOOP_CLR_FD = 0x4C01, LOOP_SET_STATUS64 = 0x4C04, LOOP_GET_STATUS64 = 0x4C05,
        LOOP_SET_DIRECT_IO = 0x4C08, LOOP_SET_BLOCK_SIZE = 0x4C09, LOOP_CONFIGURE = 0x4C0A, LOOP_CTL_GET_FREE = 0x4C82;
    // PARTSCAN: partitions made with fdisk on the device appear as loopNpM, as sdb1 does in the walkthroughs.
    private const uint LO_FLAGS_READ_ONLY = 1, LO_FLAGS_AUTOCLEAR = 4, LO_FLAGS_PARTSCAN = 8, LO_FLAGS_DIRECT_IO = 16;
    private const int LoopInfo64Size = 232, LoopConfigSize = 304, FileNameOffset = 56, FlagsOffset = 52, FileNameSize = 64;
    private const int MaxAttempts = 32; // LOOP_CTL_GET_FREE races with other processes taking the same device

    private int _fd;

    private LoopDevice(int fd, int number, string file, int blockSize)
    {
        _fd = fd;
        Number = number;
        BackingFile = file;
        BlockSize = blockSize;
        Path = $"/dev/loop{number}";
        MajorMinor = TryReadSys(number, "dev") ?? "";
    }

    /// <summary>/dev/loopN.</summary>
    public string Path { get; }

    /// <summary>N of /dev/loopN.</summary>
    public int Number { get; }

    /// <summary>"major:minor" of the device (from /sys/block/loopN/dev), as /proc/self/mountinfo shows it.</summary>
    public string MajorMinor { get; }

    /// <summary>The file the device reads and writes.</summary>
    public string BackingFile { get; }

    /// <summary>Logical block size of the device.</summary>
    public int BlockSize { get; }

    /// <summary>Whether the kernel actually runs the device with direct I/O on the backing file.</summary>
    public bool DirectIo { get; private set; }

    /// <summary>Why direct I/O was asked for but is off (the kernel's answer), else null.</summary>
    public string? DirectIoFailure { get; private set; }

    /// <summary>Whether <see cref="Detach"/> has run.</summary>
    public bool IsDetached => _fd < 0;

    /// <summary>
    /// Binds <paramref name="file"/> to a free loop device with the given logical block size and,
    /// when <paramref name="directIo"/>, direct I/O (see <see cref="DirectIo"/> for the outcome: the
    /// kernel refuses it when the file does not support O_DIRECT at that block size).
    /// </summary>
    public static LoopDevice Attach(string file, int blockSize, bool directIo, bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        if (blockSize is < 512 or > 4096 || (blockSize & (blockSize - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "loop devices take block sizes of 512, 1024, 2048 or 4096 bytes");
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("loop devices need Linux");
        file = System.IO.Path.GetFullPath(file);
        int backing = Native.Open(file, (readOnly ? Native.O_RDONLY : Native.O_RDWR) | Native.O_CLOEXEC);
        if (backing < 0) throw Native.Error($"cannot open {file}", Native.Errno);
        int control = -1;
        try
        {
            control = Native.Open("/dev/loop-control", Native.O_RDWR | Native.O_CLOEXEC);
            if (control < 0) throw Native.Error("cannot open /dev/loop-control (needs root and the loop driver; `losetup --sector-size N --direct-io=on -f FILE` is the manual equivalent)", Native.Errno);
            bool legacy = Environment.OSVersion.Version < new Version(5, 8);
            for (int attempt = 0; attempt < MaxAttempts; attempt++)
            {
                int number = Native.Ioctl(control, LOOP_CTL_GET_FREE, 0);
                if (number < 0) throw Native.Error("LOOP_CTL_GET_FREE", Native.Errno);
                int fd = Native.Open($"/dev/loop{number}", (readOnly ? Native.O_RDONLY : Native.O_RDWR) | Native.O_CLOEXEC);
                if (fd < 0)
                {
                    int e = Native.Errno;
                    if (e == Native.ENOENT) continue; // the node is not there yet; take another
                    throw Native.Error($"cannot open /dev/loop{number}", e);
                }
                int err = legacy ? ConfigureLegacy(fd, backing, file, blockSize, directIo, readOnly) : Configure(fd, backing, file, blockSize, directIo, readOnly);
                if (err == Native.EBUSY)
                {
                    Native.Close(fd); // someone else bound it first
                    continue;
                }
                if (err != 0)
                {
                    Native.Close(fd);
                    throw Native.Error($"cannot bind {file} to /dev/loop{number} (block size {blockSize})", err);
                }
                var device = new LoopDevice(fd, number, file, blockSize);
                device.DirectIo = (device.ReadFlags() & LO_FLAGS_DIRECT_IO) != 0;
                if (directIo && !device.DirectIo)
                {
                    if (Native.Ioctl(fd, LOOP_SET_DIRECT_IO, 1) == 0) device.DirectIo = (device.ReadFlags() & LO_FLAGS_DIRECT_IO) != 0;
                    else device.DirectIoFailure = $"LOOP_SET_DIRECT_IO: {Native.Describe(Native.Errno)}";
                }
                return device;
            }
            throw new IOException($"no free loop device after {MaxAttempts} attempts (others keep taking them)");
        }
        finally
        {
            if (control >= 0) Native.Close(control);
            Native.Close(backing); // the loop driver holds its own reference
        }
    }

    private static unsafe int Configure(int fd, int backing, string file, int blockSize, bool directIo, bool readOnly)
    {
        byte* config = stackalloc byte[LoopConfigSize];
        var c = new Span<byte>(config, LoopConfigSize);
        c.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(c, (uint)backing);
        BinaryPrimitives.WriteUInt32LittleEndian(c[4..], (uint)blockSize);
        uint flags = LO_FLAGS_AUTOCLEAR | LO_FLAGS_PARTSCAN | (readOnly ? LO_FLAGS_READ_ONLY : 0);
        FillInfo(c.Slice(8, LoopInfo64Size), file, flags | (directIo ? LO_FLAGS_DIRECT_IO : 0));
        if (Native.Ioctl(fd, LOOP_CONFIGURE, config) == 0) return 0;
        int e = Native.Errno;
        if (e != Native.EINVAL || !directIo) return e;
        // Some kernels refuse LOOP_CONFIGURE outright when direct I/O is impossible: bind without it.
        FillInfo(c.Slice(8, LoopInfo64Size), file, flags);
        return Native.Ioctl(fd, LOOP_CONFIGURE, config) == 0 ? 0 : Native.Errno;
    }

    private static unsafe int ConfigureLegacy(int fd, int backing, string file, int blockSize, bool directIo, bool readOnly)
    {
        if (Native.Ioctl(fd, LOOP_SET_FD, backing) != 0) return Native.Errno;
        byte* info = stackalloc byte[LoopInfo64Size];
        FillInfo(new Span<byte>(info, LoopInfo64Size), file, LO_FLAGS_AUTOCLEAR | LO_FLAGS_PARTSCAN | (readOnly ? LO_FLAGS_READ_ONLY : 0));
        int err = 0;
        if (Native.Ioctl(fd, LOOP_SET_STATUS64, info) != 0 || Native.Ioctl(fd, LOOP_SET_BLOCK_SIZE, blockSize) != 0) err = Native.Errno;
        if (err != 0)
        {
            Native.Ioctl(fd, LOOP_CLR_FD, 0);
            return err == Native.EBUSY ? Native.EIO : err; // EBUSY means "taken" to the caller
        }
        if (directIo) Native.Ioctl(fd, LOOP_SET_DIRECT_IO, 1); // best effort; DirectIo reports the outcome
        return 0;
    }

    private static void FillInfo(Span<byte> info, string file, uint flags)
    {
        info.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(info[FlagsOffset..], flags);
        // lo_file_name is what `losetup -l` shows (truncated to 63 bytes).
        var name = Encoding.UTF8.GetBytes(file);
        name.AsSpan(0, Math.Min(name.Length, FileNameSize - 1)).CopyTo(info[FileNameOffset..]);
    }

    private unsafe uint ReadFlags()
    {
        byte* info = stackalloc byte[LoopInfo64Size];
        if (Native.Ioctl(_fd, LOOP_GET_STATUS64, info) != 0) return 0;
        return BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(info + FlagsOffset, 4));
    }

    private static string? TryReadSys(int number, string attribute)
    {
        try { return File.ReadAllText($"/sys/block/loop{number}/{attribute}").Trim(); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>
    /// Unbinds the file (LOOP_CLR_FD) and closes the device. While someone else still has the device
    /// open (a mount, a process), the kernel defers the unbinding until the last of them closes it.
    /// </summary>
    public void Detach()
    {
        int fd = Interlocked.Exchange(ref _fd, -1);
        if (fd < 0) return;
        try
        {
            if (Native.Ioctl(fd, LOOP_CLR_FD, 0) != 0)
            {
                int e = Native.Errno;
                if (e != Native.ENXIO) throw Native.Error($"LOOP_CLR_FD on {Path}", e); // ENXIO: already unbound
            }
        }
        finally
        {
            Native.Close(fd);
        }
    }

    public void Dispose() => Detach();

    public override string ToString() => $"{Path} -> {BackingFile} (block size {BlockSize}, direct I/O {(DirectIo ? "on" : "off")})";
}
