using SharpSan.Scsi;

namespace SharpSan.Backstores;

/// <summary>
/// LIO "block" (iblock): a block device. The size comes from the device (ioctl BLKGETSIZE64); I/O
/// goes through the page cache (no O_DIRECT) with fsync for SYNCHRONIZE CACHE and an O_SYNC handle
/// for FUA writes and for write-through mode (see <see cref="FileHandleIo"/>).
/// </summary>
public sealed class BlockBackstore : IBackstore
{
    private readonly FileHandleIo _io;

    public BlockBackstore(string name, string devicePath, int blockSize, bool writeBack, bool readOnly)
        : this(name, devicePath, blockSize, writeBack, readOnly, allowRegularFile: false)
    {
    }

    /// <summary>With <paramref name="allowRegularFile"/> a regular file stands in for the device (tests).</summary>
    internal BlockBackstore(string name, string devicePath, int blockSize, bool writeBack, bool readOnly, bool allowRegularFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(devicePath);
        BlockGeometry.ValidateBlockSize(blockSize);
        string what = $"block backstore '{name}' ({devicePath})";
        if (!File.Exists(devicePath))
        {
            throw new FileNotFoundException($"{what}: the block device does not exist.", devicePath);
        }

        _io = new FileHandleIo(devicePath, blockSize, writeBack, readOnly);
        try
        {
            ulong size;
            if (LinuxBlockDevice.TryGetSize(_io.Handle, out ulong deviceSize))
            {
                size = deviceSize;
                if (LinuxBlockDevice.TryGetLogicalBlockSize(_io.Handle, out int sector) && sector > blockSize)
                {
                    throw new ArgumentException($"{what}: block size {blockSize} is smaller than the device's logical block size {sector}.", nameof(blockSize));
                }
            }
            else if (allowRegularFile)
            {
                size = (ulong)_io.Length;
            }
            else
            {
                throw new ArgumentException($"{what}: the path is not a block device (use the fileio plugin for regular files).", nameof(devicePath));
            }

            if (size < (ulong)blockSize)
            {
                throw new ArgumentException($"{what}: the device is {size} bytes, smaller than one {blockSize}-byte block.", nameof(devicePath));
            }

            // A device's size is what it is: the tail that does not fill a whole block is not exported.
            BlockCount = size / (ulong)blockSize;
        }
        catch
        {
            _io.Dispose();
            throw;
        }

        Name = name;
        DevicePath = devicePath;
        BlockSize = blockSize;
        WriteCacheEnabled = writeBack;
        ReadOnly = readOnly;
    }

    public string Name { get; }
    public string DevicePath { get; }
    public string Plugin => "block";
    public int BlockSize { get; }
    public ulong BlockCount { get; }
    public bool WriteCacheEnabled { get; }
    public bool ReadOnly { get; }

    public ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken) =>
        _io.ReadAsync(lba, buffer, cancellationToken);

    public ValueTask WriteAsync(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags, CancellationToken cancellationToken)
    {
        if (ReadOnly)
        {
            throw new IOException($"block backstore '{Name}' is read-only.");
        }

        return _io.WriteAsync(lba, data, (flags & WriteFlags.Fua) != 0, cancellationToken);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) =>
        ReadOnly ? default : _io.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        _io.Dispose();
        return default;
    }
}
