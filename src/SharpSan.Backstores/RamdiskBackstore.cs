using SharpSan.Scsi;

namespace SharpSan.Backstores;

/// <summary>
/// LIO "ramdisk" (rd_mcp): memory, taken lazily in 1 MiB chunks on first write; chunks never written
/// read as zeros. Chunk allocation is lock-free (Interlocked.CompareExchange; a losing racer's chunk is
/// dropped). Nothing is durable, so there is no write cache to report and flush is a no-op.
/// With <see cref="NullIo"/> (LIO's rd_mcp nullio, tgt's --bstype null, usr/bs_null.c) it stores
/// nothing at all: reads return zeros, writes are accepted and dropped — for measuring a target's own
/// overhead, never for data.
/// </summary>
public sealed class RamdiskBackstore : IBackstore
{
    public const int ChunkSize = 1024 * 1024;

    private readonly byte[]?[] _chunks;
    private long _allocatedBytes;

    public RamdiskBackstore(string name, ulong size, int blockSize, bool readOnly = false, bool nullIo = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        BlockGeometry.ValidateBlockSize(blockSize);
        string what = $"ramdisk backstore '{name}'";
        BlockCount = BlockGeometry.BlockCount(size, blockSize, what);
        ulong chunks = (size + ChunkSize - 1) / ChunkSize;
        if (chunks > int.MaxValue / 2 && !nullIo)
        {
            throw new ArgumentException($"{what}: size {size} is too large for a ramdisk.", nameof(size));
        }

        _chunks = nullIo ? [] : new byte[]?[chunks];
        NullIo = nullIo;
        Name = name;
        BlockSize = blockSize;
        ReadOnly = readOnly;
    }

    public string Name { get; }
    /// <summary>Stores nothing (nullio): zeros read, writes dropped.</summary>
    public bool NullIo { get; }
    public string Plugin => "ramdisk";
    public int BlockSize { get; }
    public ulong BlockCount { get; }
    public bool WriteCacheEnabled => false;
    public bool ReadOnly { get; }

    /// <summary>A disk held in memory, thin by nature: chunks are taken on first write and given back
    /// when a deallocation covers them whole; unwritten and deallocated blocks read as zeros.</summary>
    public BackstoreCapabilities Capabilities { get; } =
        new() { ThinProvisioned = true, Unmap = true, UnmappedReadsZero = true, WriteZeroes = true };

    /// <summary>A chunk, in logical blocks: only whole chunks give their memory back.</summary>
    public uint UnmapGranularity => (uint)(ChunkSize / BlockSize);

    /// <summary>Bytes of chunk memory allocated so far.</summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocatedBytes);

    public ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        Read(lba, buffer.Span);
        return default;
    }

    public ValueTask WriteAsync(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags, CancellationToken cancellationToken)
    {
        Write(lba, data.Span);
        return default;
    }

    /// <summary>Memory never blocks: every read is served inline.</summary>
    public bool TryReadWithoutBlocking(ulong lba, Span<byte> buffer)
    {
        Read(lba, buffer);
        return true;
    }

    /// <summary>Memory never blocks, and a ramdisk has no cache to make durable (FUA is moot).</summary>
    public bool TryWriteWithoutBlocking(ulong lba, ReadOnlySpan<byte> data, WriteFlags flags)
    {
        Write(lba, data);
        return true;
    }

    private void Read(ulong lba, Span<byte> destination)
    {
        ulong offset = CheckRange(lba, destination.Length);
        if (NullIo)
        {
            destination.Clear();
            return;
        }
        while (!destination.IsEmpty)
        {
            int index = (int)(offset / ChunkSize);
            int within = (int)(offset % ChunkSize);
            int count = Math.Min(destination.Length, ChunkSize - within);
            byte[]? chunk = Volatile.Read(ref _chunks[index]);
            if (chunk is null)
            {
                destination[..count].Clear();
            }
            else
            {
                chunk.AsSpan(within, count).CopyTo(destination);
            }

            destination = destination[count..];
            offset += (ulong)count;
        }
    }

    private void Write(ulong lba, ReadOnlySpan<byte> source)
    {
        if (ReadOnly)
        {
            throw new IOException($"ramdisk backstore '{Name}' is read-only.");
        }

        ulong offset = CheckRange(lba, source.Length);
        if (NullIo) return;
        while (!source.IsEmpty)
        {
            int index = (int)(offset / ChunkSize);
            int within = (int)(offset % ChunkSize);
            int count = Math.Min(source.Length, ChunkSize - within);
            source[..count].CopyTo(GetOrAllocate(index).AsSpan(within, count));
            source = source[count..];
            offset += (ulong)count;
        }
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => default;

    // ---- logical block provisioning (SBC-3 4.7) ----

    /// <summary>Frees the chunks the range covers whole and zeroes its parts of the others. A write racing
    /// with the deallocation of the same blocks may land in the freed chunk and be lost, which is one of
    /// the orders two overlapping commands in flight may be processed in.</summary>
    public ValueTask DeallocateAsync(ulong lba, ulong blockCount, WriteFlags flags, CancellationToken cancellationToken)
    {
        Clear(lba, blockCount, release: true);
        return default;
    }

    /// <summary>Zeroes the written chunks of the range; chunks never written already read as zeros.</summary>
    public ValueTask WriteZeroesAsync(ulong lba, ulong blockCount, WriteFlags flags, CancellationToken cancellationToken)
    {
        Clear(lba, blockCount, release: false);
        return default;
    }

    /// <summary>A run of chunks that are all held (mapped) or all free (deallocated) from <paramref name="lba"/>'s
    /// chunk on. A nullio ramdisk holds nothing.</summary>
    public LbaStatusExtent GetLbaStatus(ulong lba, ulong maxBlocks)
    {
        if (NullIo)
        {
            return new LbaStatusExtent(ProvisioningStatus.Deallocated, maxBlocks);
        }

        ulong offset = CheckRange(lba, 0);
        int index = (int)(offset / ChunkSize);
        bool held = Volatile.Read(ref _chunks[index]) is not null;
        int end = index + 1;
        while (end < _chunks.Length && (Volatile.Read(ref _chunks[end]) is not null) == held)
        {
            end++;
        }

        ulong blocks = ((ulong)end * ChunkSize - offset) / (ulong)BlockSize;
        return new LbaStatusExtent(held ? ProvisioningStatus.Mapped : ProvisioningStatus.Deallocated, Math.Clamp(blocks, 1, maxBlocks));
    }

    /// <summary>Used: the chunks held; available: the rest of the capacity.</summary>
    public bool TryGetProvisioningUsage(out ProvisioningUsage usage)
    {
        ulong used = Math.Min((ulong)AllocatedBytes / (ulong)BlockSize, BlockCount);
        usage = new ProvisioningUsage(used, BlockCount - used);
        return true;
    }

    private void Clear(ulong lba, ulong blockCount, bool release)
    {
        if (ReadOnly)
        {
            throw new IOException($"ramdisk backstore '{Name}' is read-only.");
        }

        if (lba > BlockCount || blockCount > BlockCount - lba)
        {
            throw new IOException($"ramdisk backstore '{Name}': LBA {lba} + {blockCount} blocks is beyond the end ({BlockCount} blocks).");
        }

        if (NullIo)
        {
            return;
        }

        ulong offset = lba * (ulong)BlockSize;
        ulong end = offset + blockCount * (ulong)BlockSize;
        while (offset < end)
        {
            int index = (int)(offset / ChunkSize);
            int within = (int)(offset % ChunkSize);
            int count = (int)Math.Min(end - offset, (ulong)(ChunkSize - within));
            if (release && count == ChunkSize)
            {
                if (Interlocked.Exchange(ref _chunks[index], null) is not null)
                {
                    Interlocked.Add(ref _allocatedBytes, -ChunkSize);
                }
            }
            else
            {
                Volatile.Read(ref _chunks[index])?.AsSpan(within, count).Clear();
            }

            offset += (ulong)count;
        }
    }

    public ValueTask DisposeAsync()
    {
        Array.Clear(_chunks);
        Interlocked.Exchange(ref _allocatedBytes, 0);
        return default;
    }

    private byte[] GetOrAllocate(int index)
    {
        byte[]? chunk = Volatile.Read(ref _chunks[index]);
        if (chunk is not null)
        {
            return chunk;
        }

        byte[] fresh = new byte[ChunkSize];
        chunk = Interlocked.CompareExchange(ref _chunks[index], fresh, null);
        if (chunk is not null)
        {
            return chunk;
        }

        Interlocked.Add(ref _allocatedBytes, ChunkSize);
        return fresh;
    }

    private ulong CheckRange(ulong lba, int length)
    {
        ulong blocks = (ulong)length / (ulong)BlockSize;
        if (lba > BlockCount || blocks > BlockCount - lba)
        {
            throw new IOException($"ramdisk backstore '{Name}': LBA {lba} + {blocks} blocks is beyond the end ({BlockCount} blocks).");
        }

        return lba * (ulong)BlockSize;
    }
}
