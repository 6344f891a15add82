namespace SharpSan.Initiator.Fuse;

/// <summary>An <see cref="IBlockStore"/> over every path of a logical unit (<see cref="MultipathDevice"/>):
/// the local device stays while at least one path is logged in, as a dm-multipath map does.</summary>
public sealed class MultipathBlockStore : IBlockStore
{
    public MultipathBlockStore(MultipathDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        Device = device;
    }

    public MultipathDevice Device { get; }

    public int BlockSize => Device.BlockSize;
    public ulong BlockCount => Device.BlockCount;

    public Task ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken = default)
        => Device.ReadAsync(lba, buffer, cancellationToken);

    public Task WriteAsync(ulong lba, ReadOnlyMemory<byte> data, bool fua, CancellationToken cancellationToken = default)
        => Device.WriteAsync(lba, data, fua, cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken = default)
        => Device.FlushAsync(cancellationToken);

    /// <summary>As <see cref="ScsiBlockStore.SupportsDeallocate"/>: UNMAP only where unmapped blocks read as
    /// zeros, since a punched hole and the loop device's write-zeroes must read back as zeros.</summary>
    public bool SupportsDeallocate => Device.SupportsUnmap && Device.UnmappedReadsZero;

    /// <summary>UNMAP of the range in pieces of <see cref="ScsiBlockStore.UnmapChunkBlocks"/>.</summary>
    public async Task DeallocateAsync(ulong lba, ulong blockCount, CancellationToken cancellationToken = default)
    {
        while (blockCount > 0)
        {
            uint count = (uint)Math.Min(blockCount, ScsiBlockStore.UnmapChunkBlocks);
            await Device.UnmapAsync(lba, count, cancellationToken).ConfigureAwait(false);
            lba += count;
            blockCount -= count;
        }
    }
}
