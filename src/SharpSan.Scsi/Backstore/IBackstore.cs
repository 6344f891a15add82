using Microsoft.Win32.SafeHandles;

namespace SharpSan.Scsi;

/// <summary>Flags that qualify one backstore write.</summary>
[Flags]
public enum WriteFlags
{
    None = 0,
    /// <summary>Force Unit Access (SBC-3 5.x, FUA bit): the data must be on stable storage before the write completes.</summary>
    Fua = 1,
}

/// <summary>
/// The contract between the SCSI engine and a storage object (fileio, block, ramdisk...).
/// Offsets are in logical blocks of <see cref="BlockSize"/> bytes. Implementations throw
/// <see cref="IOException"/> for medium errors; the engine maps exceptions to sense data at one
/// boundary (<c>LogicalUnit</c>), so a backstore never builds sense itself.
/// </summary>
public interface IBackstore : IAsyncDisposable
{
    /// <summary>Storage object name (LIO: the backstore name, also the INQUIRY product id).</summary>
    string Name { get; }

    /// <summary>"fileio", "block", "ramdisk" — the LIO plugin name.</summary>
    string Plugin { get; }

    /// <summary>Logical block length in bytes: 512 or 4096.</summary>
    int BlockSize { get; }

    /// <summary>Number of logical blocks.</summary>
    ulong BlockCount { get; }

    /// <summary>True when writes are cached and only made durable by FUA or <see cref="FlushAsync"/>
    /// (reported as WCE=1 in the caching mode page). False: every write is write-through.</summary>
    bool WriteCacheEnabled { get; }

    /// <summary>True when the storage object itself cannot be written (e.g. a read-only device).</summary>
    bool ReadOnly { get; }

    /// <summary>What this backstore can do (device type, thin provisioning, offloads), declared by it.</summary>
    BackstoreCapabilities Capabilities { get; }

    /// <summary>Reads <c>buffer.Length / BlockSize</c> blocks starting at <paramref name="lba"/>.</summary>
    ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken);

    /// <summary>Writes <c>data.Length / BlockSize</c> blocks starting at <paramref name="lba"/>.
    /// With <see cref="WriteFlags.Fua"/> (or when the write cache is off) the call returns only when the
    /// data is durable.</summary>
    ValueTask WriteAsync(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags, CancellationToken cancellationToken);

    /// <summary>Makes every completed write durable (SYNCHRONIZE CACHE).</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Reads like <see cref="ReadAsync"/> when that can be done without blocking the calling thread
    /// (memory, or data already in the page cache), and returns true; returns false, having changed
    /// nothing the caller relies on, when the read could block, so the caller runs
    /// <see cref="ReadAsync"/> on a thread that may block. Lets a fabric answer cache hits on its
    /// receive path without a thread hop. Medium errors throw <see cref="IOException"/> as in
    /// <see cref="ReadAsync"/>.
    /// </summary>
    bool TryReadWithoutBlocking(ulong lba, Span<byte> buffer) => false;

    /// <summary>
    /// Writes like <see cref="WriteAsync"/> (same durability for <paramref name="flags"/>) when that
    /// cannot block the calling thread, and returns true; otherwise returns false and the caller runs
    /// <see cref="WriteAsync"/>, which writes the whole range again.
    /// </summary>
    bool TryWriteWithoutBlocking(ulong lba, ReadOnlySpan<byte> data, WriteFlags flags) => false;

    /// <summary>
    /// For a fabric that sends file pages straight to its socket (sendfile, no copy through user
    /// memory): a read-only descriptor of the file and the byte offset holding the
    /// <paramref name="length"/> bytes at <paramref name="lba"/>, when reading them can neither block
    /// nor fail — a memory-backed file that holds the whole range. Otherwise false, and the caller
    /// reads into its buffer. The descriptor stays open as long as the backstore; it is read with
    /// explicit offsets only, so commands may share it.
    /// </summary>
    bool TryGetZeroCopyRange(ulong lba, int length, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SafeFileHandle? file, out long offset)
    {
        file = null;
        offset = 0;
        return false;
    }

    // ---- logical block provisioning (SBC-3 4.7): UNMAP, WRITE SAME, GET LBA STATUS ----

    /// <summary>
    /// Deallocates <paramref name="blockCount"/> blocks from <paramref name="lba"/> (UNMAP, WRITE SAME
    /// with UNMAP; SBC-3 4.7.3.4): the storage behind them is released where the backstore's granularity
    /// allows, and the rest of the range is zeroed, so with <see cref="BackstoreCapabilities.UnmappedReadsZero"/>
    /// every block of the range reads as zeros afterwards. With <see cref="WriteFlags.Fua"/> (or when the
    /// write cache is off) it returns only when the change is durable. Only called when
    /// <see cref="BackstoreCapabilities.Unmap"/> is declared.
    /// </summary>
    ValueTask DeallocateAsync(ulong lba, ulong blockCount, WriteFlags flags, CancellationToken cancellationToken) =>
        ValueTask.FromException(new NotSupportedException($"{Plugin} backstore '{Name}' cannot deallocate blocks."));

    /// <summary>
    /// Writes zeros to <paramref name="blockCount"/> blocks from <paramref name="lba"/> (WRITE SAME of a
    /// zero block), leaving them mapped. A backstore declaring <see cref="BackstoreCapabilities.WriteZeroes"/>
    /// does it without transferring zeros (FALLOC_FL_ZERO_RANGE, BLKZEROOUT); the default writes pooled
    /// zero buffers through <see cref="WriteAsync"/>. Durability as for <see cref="WriteAsync"/>.
    /// </summary>
    ValueTask WriteZeroesAsync(ulong lba, ulong blockCount, WriteFlags flags, CancellationToken cancellationToken) =>
        BlockPatternWriter.WriteZeroesAsync(this, lba, blockCount, flags, cancellationToken);

    /// <summary>
    /// The provisioning status of the blocks from <paramref name="lba"/>: mapped or deallocated, and for
    /// how many blocks (at least 1, at most <paramref name="maxBlocks"/>) that status holds (GET LBA
    /// STATUS, SBC-3 5.4). A backstore that cannot tell reports the whole range mapped, which SBC-3
    /// allows.
    /// </summary>
    LbaStatusExtent GetLbaStatus(ulong lba, ulong maxBlocks) => new(ProvisioningStatus.Mapped, maxBlocks);

    /// <summary>The backstore's allocation unit, in logical blocks: deallocating a range that is not
    /// made of whole units only zeroes the parts of units it covers (VPD B0h OPTIMAL UNMAP GRANULARITY).</summary>
    uint UnmapGranularity => 1;

    /// <summary>Used and available storage, in logical blocks, for the logical block provisioning log
    /// page (SBC-3 6.4.4); false when the backstore cannot tell.</summary>
    bool TryGetProvisioningUsage(out ProvisioningUsage usage)
    {
        usage = default;
        return false;
    }
}
