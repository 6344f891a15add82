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
}
