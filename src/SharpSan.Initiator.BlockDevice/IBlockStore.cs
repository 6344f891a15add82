namespace SharpSan.Initiator.Fuse;

/// <summary>
/// Fixed-size block storage served by <see cref="FuseFileServer"/>: whole blocks only, any number in
/// flight at once. Exceptions from these methods are answered to the kernel as EIO.
/// </summary>
public interface IBlockStore
{
    /// <summary>Logical block size in bytes (512..65536, a power of two).</summary>
    int BlockSize { get; }

    /// <summary>Number of blocks; the file is <c>BlockSize * BlockCount</c> bytes.</summary>
    ulong BlockCount { get; }

    /// <summary>Reads <c>buffer.Length / BlockSize</c> blocks at <paramref name="lba"/>.</summary>
    Task ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken = default);

    /// <summary>Writes whole blocks at <paramref name="lba"/>; <paramref name="fua"/> asks for them on the medium before completion.</summary>
    Task WriteAsync(ulong lba, ReadOnlyMemory<byte> data, bool fua, CancellationToken cancellationToken = default);

    /// <summary>Makes every completed write durable (SYNCHRONIZE CACHE for a SCSI LUN).</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>True when <see cref="DeallocateAsync"/> works (a thin LUN that serves UNMAP).</summary>
    bool SupportsDeallocate => false;

    /// <summary>Gives back the storage of <paramref name="blockCount"/> blocks at <paramref name="lba"/>;
    /// they read as zeros afterwards (a discard reaching the target as UNMAP).</summary>
    Task DeallocateAsync(ulong lba, ulong blockCount, CancellationToken cancellationToken = default) =>
        Task.FromException(new NotSupportedException("this block store cannot deallocate blocks"));
}
