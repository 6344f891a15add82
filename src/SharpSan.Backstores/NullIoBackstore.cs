using SharpSan.Scsi;

namespace SharpSan.Backstores;

/// <summary>
/// LIO's ramdisk with <c>nullio</c> (rd_mcp, rtslib RDMCPStorageObject(nullio=True)) and tgt's
/// <c>--bstype null</c> (usr/bs_null.c): a device of the given size that stores nothing — reads
/// return zeros, writes are accepted and dropped. For measuring a target's own overhead; never for
/// data, which is why a write "succeeds" without a medium to be durable on (nothing is cached either,
/// so the caching page reports write-through).
/// </summary>
public sealed class NullIoBackstore : IBackstore
{
    public NullIoBackstore(string name, ulong size, int blockSize, bool readOnly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        BlockGeometry.ValidateBlockSize(blockSize);
        BlockCount = BlockGeometry.BlockCount(size, blockSize, $"nullio ramdisk backstore '{name}'");
        Name = name;
        BlockSize = blockSize;
        ReadOnly = readOnly;
    }

    public string Name { get; }
    public string Plugin => "ramdisk";
    public int BlockSize { get; }
    public ulong BlockCount { get; }
    public bool WriteCacheEnabled => false;
    public bool ReadOnly { get; }
    public BackstoreCapabilities Capabilities => BackstoreCapabilities.Disk;

    public ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        buffer.Span.Clear();
        return default;
    }

    public ValueTask WriteAsync(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags, CancellationToken cancellationToken) => default;

    public ValueTask FlushAsync(CancellationToken cancellationToken) => default;

    public bool TryReadWithoutBlocking(ulong lba, Span<byte> buffer)
    {
        buffer.Clear();
        return true;
    }

    public bool TryWriteWithoutBlocking(ulong lba, ReadOnlySpan<byte> data, WriteFlags flags) => true;

    public ValueTask DisposeAsync() => default;
}
