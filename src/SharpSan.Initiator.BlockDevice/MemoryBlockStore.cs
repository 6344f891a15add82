namespace SharpSan.Initiator.Fuse;

/// <summary>An in-memory <see cref="IBlockStore"/> (tests, demos). Counts flushes and FUA writes.</summary>
public sealed class MemoryBlockStore : IBlockStore
{
    private readonly byte[] _data;
    private int _flushes;
    private int _fuaWrites;

    public MemoryBlockStore(int blockSize, ulong blockCount)
    {
        if (blockSize is < 512 or > 65536 || (blockSize & (blockSize - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(blockSize), blockSize, "the block size must be a power of two from 512 to 65536");
        BlockSize = blockSize;
        BlockCount = blockCount;
        _data = new byte[checked((long)blockCount * blockSize)];
    }

    public int BlockSize { get; }
    public ulong BlockCount { get; }

    /// <summary>The store's bytes (live, not a copy).</summary>
    public Span<byte> Data => _data;

    /// <summary>How many times <see cref="FlushAsync"/> ran.</summary>
    public int FlushCount => Volatile.Read(ref _flushes);

    /// <summary>How many writes asked for FUA.</summary>
    public int FuaWriteCount => Volatile.Read(ref _fuaWrites);

    /// <summary>When set, every read, write and flush throws it (error-path tests).</summary>
    public Exception? Fault { get; set; }

    public Task ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Fault is { } f) return Task.FromException(f);
        _data.AsSpan(Offset(lba, buffer.Length), buffer.Length).CopyTo(buffer.Span);
        return Task.CompletedTask;
    }

    public Task WriteAsync(ulong lba, ReadOnlyMemory<byte> data, bool fua, CancellationToken cancellationToken = default)
    {
        if (Fault is { } f) return Task.FromException(f);
        data.Span.CopyTo(_data.AsSpan(Offset(lba, data.Length)));
        if (fua) Interlocked.Increment(ref _fuaWrites);
        return Task.CompletedTask;
    }

    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (Fault is { } f) return Task.FromException(f);
        Interlocked.Increment(ref _flushes);
        return Task.CompletedTask;
    }

    /// <summary>Deallocations asked of the store so far.</summary>
    public int DeallocateCount => Volatile.Read(ref _deallocations);

    private int _deallocations;

    public bool SupportsDeallocate => true;

    /// <summary>Zeroes the blocks, as a thin LUN with LBPRZ reads them after UNMAP.</summary>
    public Task DeallocateAsync(ulong lba, ulong blockCount, CancellationToken cancellationToken = default)
    {
        if (Fault is { } f) return Task.FromException(f);
        _data.AsSpan(Offset(lba, checked((int)(blockCount * (ulong)BlockSize))), (int)(blockCount * (ulong)BlockSize)).Clear();
        Interlocked.Increment(ref _deallocations);
        return Task.CompletedTask;
    }

    private int Offset(ulong lba, int length)
    {
        if (length % BlockSize != 0) throw new ArgumentException($"the length {length} is not a multiple of the block size {BlockSize}");
        if (lba > BlockCount || (ulong)(length / BlockSize) > BlockCount - lba)
            throw new ArgumentOutOfRangeException(nameof(lba), lba, "the range is past the end of the store");
        return checked((int)(lba * (ulong)BlockSize));
    }
}
