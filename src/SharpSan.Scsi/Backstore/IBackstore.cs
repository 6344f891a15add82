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
}
