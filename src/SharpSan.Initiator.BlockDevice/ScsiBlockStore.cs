namespace SharpSan.Initiator.Fuse;

/// <summary>An <see cref="IBlockStore"/> over a LUN of an iSCSI session (<see cref="SharpSan.Initiator.BlockDevice"/>).</summary>
public sealed class ScsiBlockStore : IBlockStore
{
    private readonly SharpSan.Initiator.BlockDevice _device;

    public ScsiBlockStore(SharpSan.Initiator.BlockDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
    }

    /// <summary>The LUN this store reads and writes.</summary>
    public SharpSan.Initiator.BlockDevice Device => _device;

    public int BlockSize => _device.BlockSize;
    public ulong BlockCount => _device.BlockCount;

    public Task ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken = default)
        => _device.ReadAsync(lba, buffer, cancellationToken);

    public Task WriteAsync(ulong lba, ReadOnlyMemory<byte> data, bool fua, CancellationToken cancellationToken = default)
        => _device.WriteAsync(lba, data, fua, cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken = default)
        => _device.FlushAsync(cancellationToken);

    /// <summary>Blocks per UNMAP: within every target's MAXIMUM UNMAP LBA COUNT that LIO's fileio
    /// reports (8 Ki), and SharpSAN's (1 Mi).</summary>
    public const uint UnmapChunkBlocks = 8192;

    /// <summary>The LUN reports LBPU (VPD page B2h) and LBPRZ. A deallocation here is a hole punched in
    /// the FUSE file, or a loop device's WRITE ZEROES (blkdev_issue_zeroout: ext4's lazy inode table
    /// initialisation, <c>blkdiscard -z</c>): both promise zeros when read back, which UNMAP gives only
    /// on an LBPRZ unit. On any other the hole is refused (EOPNOTSUPP) and the kernel writes zeros itself
    /// when it needs them.</summary>
    public bool SupportsDeallocate => _device.SupportsUnmap && _device.UnmappedReadsZero;

    /// <summary>UNMAP (SBC-3 5.28) of the range, in pieces of <see cref="UnmapChunkBlocks"/>.</summary>
    public async Task DeallocateAsync(ulong lba, ulong blockCount, CancellationToken cancellationToken = default)
    {
        while (blockCount > 0)
        {
            uint count = (uint)Math.Min(blockCount, UnmapChunkBlocks);
            await _device.UnmapAsync(lba, count, cancellationToken).ConfigureAwait(false);
            lba += count;
            blockCount -= count;
        }
    }
}
