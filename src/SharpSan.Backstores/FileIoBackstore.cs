using SharpSan.Scsi;

namespace SharpSan.Backstores;

/// <summary>
/// LIO "fileio": a regular file. Created sparse at <c>size</c> when absent; an existing file is used
/// at its own length when <c>size</c> is 0, and extended sparsely when shorter than <c>size</c>.
/// </summary>
public sealed class FileIoBackstore : FileHandleBackstore
{

    public FileIoBackstore(string name, string path, ulong size, int blockSize, bool writeBack, bool readOnly)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(path);
        BlockGeometry.ValidateFileBlockSize(blockSize);
        string what = $"fileio backstore '{name}' ({path})";
        if (Directory.Exists(path))
        {
            throw new ArgumentException($"{what}: the path is a directory, not a file.", nameof(path));
        }

        bool exists = File.Exists(path);
        if (!exists)
        {
            if (readOnly)
            {
                throw new FileNotFoundException($"{what}: the file does not exist and a read-only backstore cannot create it.", path);
            }

            if (size == 0)
            {
                throw new ArgumentException($"{what}: the file does not exist, so a size is required to create it.", nameof(size));
            }

            // targetcli users trip over a missing folder; creating it is what they meant.
            string? directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (directory is not null && !Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }

        ulong length = exists ? (ulong)new FileInfo(path).Length : 0;
        ulong effective = size == 0 ? length : size;
        BlockCount = BlockGeometry.BlockCount(effective, blockSize, what);

        if (!exists || length < effective)
        {
            if (readOnly)
            {
                throw new ArgumentException($"{what}: the file is {length} bytes, smaller than the requested {effective}, and a read-only backstore cannot extend it.", nameof(size));
            }

            // SetLength on a new or shorter file leaves a hole: the file stays sparse.
            using var handle = File.OpenHandle(path, exists ? FileMode.Open : FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite);
            RandomAccess.SetLength(handle, checked((long)effective));
        }

        Name = name;
        Path = path;
        BlockSize = blockSize;
        WriteCacheEnabled = writeBack;
        ReadOnly = readOnly;
        Io = new FileHandleIo(path, blockSize, writeBack, readOnly);

        // A regular file is thin by nature (SBC-3 4.7): holes are punched where the file system's blocks
        // are wholly deallocated, the rest of a range is zeroed, and either way it reads as zeros.
        Capabilities = new BackstoreCapabilities { ThinProvisioned = true, Unmap = true, UnmappedReadsZero = true, WriteZeroes = true };
        UnmapGranularity = (uint)Math.Max(1, LinuxFileSpace.PreferredBlockSize(Io.Handle) / blockSize);
    }

    private volatile bool _punchUnsupported;
    private volatile bool _zeroRangeUnsupported;

    public string Path { get; }
    public override string Plugin => "fileio";

    /// <summary>fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE): the file system frees its blocks
    /// wholly inside the range and zeroes the partial ones at the edges. A file system without hole
    /// punching gets zeros written instead, which keeps LBPRZ true.</summary>
    private protected override void Deallocate(long offset, long length)
    {
        if (!_punchUnsupported)
        {
            int errno = LinuxFileSpace.Allocate(Io.Handle, LinuxFileSpace.FallocPunchHole | LinuxFileSpace.FallocKeepSize, offset, length);
            if (errno == 0)
            {
                return;
            }

            if (errno != LinuxFileSpace.EOpNotSupp)
            {
                throw new IOException($"fileio backstore '{Name}': punching a hole at byte {offset} ({length} bytes) failed: errno {errno}.");
            }

            _punchUnsupported = true;
        }

        ZeroRange(offset, length);
    }

    /// <summary>fallocate(FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE): zeros without writing them, the
    /// blocks staying allocated; written zeros where the file system cannot (tmpfs).</summary>
    private protected override void ZeroRange(long offset, long length)
    {
        if (!_zeroRangeUnsupported)
        {
            int errno = LinuxFileSpace.Allocate(Io.Handle, LinuxFileSpace.FallocZeroRange | LinuxFileSpace.FallocKeepSize, offset, length);
            if (errno == 0)
            {
                return;
            }

            if (errno != LinuxFileSpace.EOpNotSupp)
            {
                throw new IOException($"fileio backstore '{Name}': zeroing byte {offset} ({length} bytes) failed: errno {errno}.");
            }

            _zeroRangeUnsupported = true;
        }

        Io.WriteZeros(offset, length);
    }

    /// <summary>
    /// lseek SEEK_DATA / SEEK_HOLE from the block's offset: a hole is deallocated up to the block where
    /// data begins, data is mapped up to the block where the next hole begins (a block partly in data
    /// counts as mapped). Past the end of the file everything is a hole.
    /// </summary>
    public override LbaStatusExtent GetLbaStatus(ulong lba, ulong maxBlocks)
    {
        long offset = ByteOffset(lba);
        long blockSize = BlockSize;
        long data = LinuxFileSpace.NextData(Io.Handle, offset);
        if (data < 0)
        {
            return new LbaStatusExtent(ProvisioningStatus.Deallocated, maxBlocks);
        }

        if (data > offset && (data - offset) / blockSize > 0)
        {
            return new LbaStatusExtent(ProvisioningStatus.Deallocated, Math.Min((ulong)((data - offset) / blockSize), maxBlocks));
        }

        long hole = LinuxFileSpace.NextHole(Io.Handle, offset);
        ulong mapped = hole == long.MaxValue ? maxBlocks : (ulong)((hole - offset + blockSize - 1) / blockSize);
        return new LbaStatusExtent(ProvisioningStatus.Mapped, Math.Clamp(mapped, 1, maxBlocks));
    }

    /// <summary>Used: the file's allocated blocks (st_blocks); available: what the file system has left,
    /// bounded by the part of the logical unit not yet allocated.</summary>
    public override bool TryGetProvisioningUsage(out ProvisioningUsage usage)
    {
        long allocated = LinuxFileSpace.AllocatedBytes(Io.Handle);
        long free = LinuxFileSpace.AvailableBytes(Io.Handle);
        if (allocated < 0 || free < 0)
        {
            usage = default;
            return false;
        }

        ulong used = Math.Min((ulong)allocated / (ulong)BlockSize, BlockCount);
        usage = new ProvisioningUsage(used, Math.Min((ulong)free / (ulong)BlockSize, BlockCount - used));
        return true;
    }
}
