using SharpSan.Scsi;

namespace SharpSan.Backstores;

/// <summary>
/// LIO "block" (iblock): a block device. The size comes from the device (ioctl BLKGETSIZE64); I/O
/// goes through the page cache (no O_DIRECT) with fsync for SYNCHRONIZE CACHE and an O_SYNC handle
/// for FUA writes and for write-through mode (see <see cref="FileHandleIo"/>).
/// </summary>
public sealed class BlockBackstore : FileHandleBackstore
{

    public BlockBackstore(string name, string devicePath, int blockSize, bool writeBack, bool readOnly)
        : this(name, devicePath, blockSize, writeBack, readOnly, allowRegularFile: false)
    {
    }

    /// <summary>With <paramref name="allowRegularFile"/> a regular file stands in for the device (tests).</summary>
    internal BlockBackstore(string name, string devicePath, int blockSize, bool writeBack, bool readOnly, bool allowRegularFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(devicePath);
        BlockGeometry.ValidateFileBlockSize(blockSize);
        string what = $"block backstore '{name}' ({devicePath})";
        if (!File.Exists(devicePath))
        {
            throw new FileNotFoundException($"{what}: the block device does not exist.", devicePath);
        }

        Io = new FileHandleIo(devicePath, blockSize, writeBack, readOnly);
        try
        {
            ulong size;
            if (LinuxBlockDevice.TryGetSize(Io.Handle, out ulong deviceSize))
            {
                size = deviceSize;
                if (LinuxBlockDevice.TryGetLogicalBlockSize(Io.Handle, out int sector) && sector > blockSize)
                {
                    throw new ArgumentException($"{what}: block size {blockSize} is smaller than the device's logical block size {sector}.", nameof(blockSize));
                }
            }
            else if (allowRegularFile)
            {
                size = (ulong)Io.Length;
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
            Io.Dispose();
            throw;
        }

        Name = name;
        DevicePath = devicePath;
        BlockSize = blockSize;
        WriteCacheEnabled = writeBack;
        ReadOnly = readOnly;
    }

    public string DevicePath { get; }
    public override string Plugin => "block";
}
