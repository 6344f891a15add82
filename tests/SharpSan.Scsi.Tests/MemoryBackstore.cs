namespace SharpSan.Scsi.Tests;

/// <summary>An in-memory IBackstore for engine tests; records flags and can inject medium errors.</summary>
internal sealed class MemoryBackstore : IBackstore
{
    public MemoryBackstore(ulong blockCount = 2048, int blockSize = 512, bool writeCache = true, bool readOnly = false, bool allocate = true)
    {
        BlockCount = blockCount;
        BlockSize = blockSize;
        WriteCacheEnabled = writeCache;
        ReadOnly = readOnly;
        Data = allocate ? new byte[checked((int)(blockCount * (ulong)blockSize))] : [];
    }

    public byte[] Data { get; }
    public string Name => "mem0";
    public string Plugin => "memory";
    public int BlockSize { get; }
    public ulong BlockCount { get; }
    public bool WriteCacheEnabled { get; }
    public bool ReadOnly { get; }

    public BackstoreCapabilities Capabilities { get; set; } = BackstoreCapabilities.Disk;

    public bool FailReads { get; set; }
    public bool FailWrites { get; set; }
    public bool CompleteAsynchronously { get; set; }
    /// <summary>Accepts TryRead/TryWriteWithoutBlocking (a memory-backed store); false: always refuses them.</summary>
    public bool ServesInline { get; set; }
    public int InlineReads { get; private set; }
    public int InlineWrites { get; private set; }
    public int Reads { get; private set; }
    public int Writes { get; private set; }
    public int Flushes { get; private set; }
    public WriteFlags LastWriteFlags { get; private set; }

    // Synchronous paths are not 'async' methods: in Debug builds an async state machine is a class
    // and would allocate, hiding the engine's own allocation behaviour from HotPathTests.
    public ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (CompleteAsynchronously)
        {
            return ReadLater(lba, buffer);
        }

        Read(lba, buffer);
        return default;
    }

    public ValueTask WriteAsync(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags, CancellationToken cancellationToken)
    {
        if (CompleteAsynchronously)
        {
            return WriteLater(lba, data, flags);
        }

        Write(lba, data, flags);
        return default;
    }

    private async ValueTask ReadLater(ulong lba, Memory<byte> buffer)
    {
        await Task.Yield();
        Read(lba, buffer);
    }

    private async ValueTask WriteLater(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags)
    {
        await Task.Yield();
        Write(lba, data, flags);
    }

    private void Read(ulong lba, Memory<byte> buffer)
    {
        Reads++;
        if (FailReads)
        {
            throw new IOException("injected read error");
        }

        Data.AsSpan(checked((int)(lba * (ulong)BlockSize)), buffer.Length).CopyTo(buffer.Span);
    }

    private void Write(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags)
    {
        Writes++;
        LastWriteFlags = flags;
        if (FailWrites)
        {
            throw new IOException("injected write error");
        }

        data.Span.CopyTo(Data.AsSpan(checked((int)(lba * (ulong)BlockSize))));
    }

    public bool TryReadWithoutBlocking(ulong lba, Span<byte> buffer)
    {
        if (!ServesInline)
        {
            return false;
        }

        InlineReads++;
        if (FailReads)
        {
            throw new IOException("injected read error");
        }

        Data.AsSpan(checked((int)(lba * (ulong)BlockSize)), buffer.Length).CopyTo(buffer);
        return true;
    }

    public bool TryWriteWithoutBlocking(ulong lba, ReadOnlySpan<byte> data, WriteFlags flags)
    {
        if (!ServesInline)
        {
            return false;
        }

        InlineWrites++;
        LastWriteFlags = flags;
        if (FailWrites)
        {
            throw new IOException("injected write error");
        }

        data.CopyTo(Data.AsSpan(checked((int)(lba * (ulong)BlockSize))));
        return true;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Flushes++;
        return FailWrites ? ValueTask.FromException(new IOException("injected flush error")) : default;
    }

    /// <summary>True once the owner closed it (e.g. a CD image taken out of its tray).</summary>
    public bool Disposed { get; private set; }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return default;
    }
}
