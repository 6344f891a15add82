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

        // Only what the device's queue offers is declared: discard makes it able to deallocate, and
        // write-zeroes (which may unmap) makes deallocated blocks read as zeros (LBPRZ). Zeroing always
        // works: the kernel writes zeros itself where the device cannot.
        _limits = BlockDeviceQueueLimits.Read(devicePath);
        Capabilities = new BackstoreCapabilities
        {
            Unmap = _limits.Discards,
            UnmappedReadsZero = _limits.Discards && _limits.WritesZeroes,
            WriteZeroes = true,
        };
        UnmapGranularity = (uint)Math.Max(1, _limits.DiscardGranularity / blockSize);
    }

    private readonly BlockDeviceQueueLimits _limits;

    public string DevicePath { get; }
    public override string Plugin => "block";

    /// <summary>
    /// fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE) on the device: REQ_OP_WRITE_ZEROES, which
    /// unmaps where the device can and always reads back zeros (a loop device punches a hole in its
    /// file). A device that only discards gets BLKDISCARD, whose blocks read as whatever the device
    /// returns (LBPRZ is not declared then). Both drop the range from the page cache first.
    /// </summary>
    private protected override void Deallocate(long offset, long length)
    {
        if (_limits.WritesZeroes)
        {
            int errno = LinuxFileSpace.Allocate(Io.Handle, LinuxFileSpace.FallocPunchHole | LinuxFileSpace.FallocKeepSize, offset, length);
            if (errno == 0)
            {
                return;
            }

            if (errno != LinuxFileSpace.EOpNotSupp)
            {
                throw new IOException($"block backstore '{Name}': deallocating byte {offset} ({length} bytes) failed: errno {errno}.");
            }

            // Zeroing with unmap refused after all: zero without it, which keeps LBPRZ true.
            ZeroRange(offset, length);
            return;
        }

        int result = LinuxFileSpace.Discard(Io.Handle, offset, length);
        if (result != 0)
        {
            throw new IOException($"block backstore '{Name}': BLKDISCARD of byte {offset} ({length} bytes) failed: errno {result}.");
        }
    }

    /// <summary>fallocate(FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE): REQ_OP_WRITE_ZEROES without
    /// unmapping, or zeros written by the kernel; written zeros here when even that is refused.</summary>
    private protected override void ZeroRange(long offset, long length)
    {
        int errno = LinuxFileSpace.Allocate(Io.Handle, LinuxFileSpace.FallocZeroRange | LinuxFileSpace.FallocKeepSize, offset, length);
        if (errno == 0)
        {
            return;
        }

        if (errno != LinuxFileSpace.EOpNotSupp)
        {
            throw new IOException($"block backstore '{Name}': zeroing byte {offset} ({length} bytes) failed: errno {errno}.");
        }

        Io.WriteZeros(offset, length);
    }
}
