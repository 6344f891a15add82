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

    public bool FailReads { get; set; }
    public bool FailWrites { get; set; }
    public bool CompleteAsynchronously { get; set; }
    public int Reads { get; private set; }
    public int Writes { get; private set; }
    public int Flushes { get; private set; }
    public WriteFlags LastWriteFlags { get; private set; }

    public async ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (CompleteAsynchronously)
        {
            await Task.Yield();
        }

        Reads++;
        if (FailReads)
        {
            throw new IOException("injected read error");
        }

        Data.AsSpan(checked((int)(lba * (ulong)BlockSize)), buffer.Length).CopyTo(buffer.Span);
    }

    public async ValueTask WriteAsync(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags, CancellationToken cancellationToken)
    {
        if (CompleteAsynchronously)
        {
            await Task.Yield();
        }

        Writes++;
        LastWriteFlags = flags;
        if (FailWrites)
        {
            throw new IOException("injected write error");
        }

        data.Span.CopyTo(Data.AsSpan(checked((int)(lba * (ulong)BlockSize))));
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Flushes++;
        return FailWrites ? ValueTask.FromException(new IOException("injected flush error")) : default;
    }

    public ValueTask DisposeAsync() => default;
}
