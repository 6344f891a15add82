namespace SharpSan.Scsi.Tests;

/// <summary>A memory backstore that records which blocks are mapped: a write maps them, a deallocation
/// zeroes and unmaps them. Zeroing is left to the contract's default (pooled zero writes), unless
/// built with writeZeroes: true (a backstore declaring <see cref="BackstoreCapabilities.WriteZeroes"/>).</summary>
internal sealed class ThinMemoryBackstore : IBackstore
{
    private readonly bool _writeZeroes;

    public ThinMemoryBackstore(ulong blockCount = 4096, int blockSize = 512, bool canUnmap = true, bool writeZeroes = false)
    {
        _writeZeroes = writeZeroes;
        BlockCount = blockCount;
        BlockSize = blockSize;
        Data = new byte[checked((int)(blockCount * (ulong)blockSize))];
        Mapped = new bool[blockCount];
        Capabilities = canUnmap
            ? new BackstoreCapabilities { ThinProvisioned = true, Unmap = true, UnmappedReadsZero = true, WriteZeroes = writeZeroes }
            : BackstoreCapabilities.Disk with { WriteZeroes = writeZeroes };
    }

    public byte[] Data { get; }
    public bool[] Mapped { get; }
    public string Name => "thin0";
    public string Plugin => "memory";
    public int BlockSize { get; }
    public ulong BlockCount { get; }
    public bool WriteCacheEnabled => true;
    public bool ReadOnly => false;
    public BackstoreCapabilities Capabilities { get; }
    public uint UnmapGranularity => 8;
    public int Writes { get; private set; }
    public int Deallocations { get; private set; }
    public int ZeroWrites { get; private set; }

    public ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        Data.AsSpan(checked((int)(lba * (ulong)BlockSize)), buffer.Length).CopyTo(buffer.Span);
        return default;
    }

    public ValueTask WriteAsync(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags, CancellationToken cancellationToken)
    {
        Writes++;
        data.Span.CopyTo(Data.AsSpan(checked((int)(lba * (ulong)BlockSize))));
        Array.Fill(Mapped, true, (int)lba, data.Length / BlockSize);
        return default;
    }

    public ValueTask DeallocateAsync(ulong lba, ulong blockCount, WriteFlags flags, CancellationToken cancellationToken)
    {
        Deallocations++;
        Data.AsSpan(checked((int)(lba * (ulong)BlockSize)), checked((int)(blockCount * (ulong)BlockSize))).Clear();
        Array.Fill(Mapped, false, (int)lba, (int)blockCount);
        return default;
    }

    /// <summary>With writeZeroes: zeroes the range in place, leaving its mapping as it was (what a ramdisk
    /// does for chunks never written); otherwise the contract's default.</summary>
    public ValueTask WriteZeroesAsync(ulong lba, ulong blockCount, WriteFlags flags, CancellationToken cancellationToken)
    {
        if (!_writeZeroes)
        {
            return BlockPatternWriter.WriteZeroesAsync(this, lba, blockCount, flags, cancellationToken);
        }

        ZeroWrites++;
        Data.AsSpan(checked((int)(lba * (ulong)BlockSize)), checked((int)(blockCount * (ulong)BlockSize))).Clear();
        return default;
    }

    public LbaStatusExtent GetLbaStatus(ulong lba, ulong maxBlocks)
    {
        bool mapped = Mapped[lba];
        ulong end = lba + 1;
        while (end < BlockCount && end - lba < maxBlocks && Mapped[end] == mapped)
        {
            end++;
        }

        return new LbaStatusExtent(mapped ? ProvisioningStatus.Mapped : ProvisioningStatus.Deallocated, end - lba);
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken) => default;

    public ValueTask DisposeAsync() => default;

    /// <summary>A harness over a unit of this backstore with <paramref name="provisioning"/>.</summary>
    public Harness Harness(LogicalBlockProvisioningSettings? provisioning = null) =>
        new(new LogicalUnit(this, Tests.Harness.Identity, new LogicalUnitSettings { Provisioning = provisioning ?? LogicalBlockProvisioningSettings.Thin }));
}
