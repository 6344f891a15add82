namespace SharpSan.Scsi.Tests.ExtendedCopy;

/// <summary>A backstore whose reads wait at a gate the test opens: keeps a copy running while other
/// commands look at it.</summary>
internal sealed class GatedBackstore(MemoryBackstore inner) : IBackstore
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a read waits at the gate.</summary>
    public Task Reached => _reached.Task;

    public void Open() => _gate.TrySetResult();

    public string Name => inner.Name;
    public string Plugin => inner.Plugin;
    public int BlockSize => inner.BlockSize;
    public ulong BlockCount => inner.BlockCount;
    public bool WriteCacheEnabled => inner.WriteCacheEnabled;
    public bool ReadOnly => inner.ReadOnly;
    public BackstoreCapabilities Capabilities => inner.Capabilities;

    public async ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        _reached.TrySetResult();
        await _gate.Task.WaitAsync(cancellationToken);
        await inner.ReadAsync(lba, buffer, cancellationToken);
    }

    public ValueTask WriteAsync(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags, CancellationToken cancellationToken) =>
        inner.WriteAsync(lba, data, flags, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync() => default;
}
