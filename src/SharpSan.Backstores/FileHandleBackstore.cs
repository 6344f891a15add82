using Microsoft.Win32.SafeHandles;
using SharpSan.Scsi;

namespace SharpSan.Backstores;

/// <summary>
/// What fileio and block share: I/O through one <see cref="FileHandleIo"/> (pread/pwrite, an O_SYNC
/// handle for FUA and write-through, fsync for flush) and the read-only rule. The derived classes
/// only open and size their file or device.
/// </summary>
public abstract class FileHandleBackstore : IBackstore
{
    /// <summary>Set by the derived constructor once the file or device is open.</summary>
    private protected FileHandleIo Io = null!;

    public string Name { get; private protected init; } = "";
    public abstract string Plugin { get; }
    public int BlockSize { get; private protected init; }
    public ulong BlockCount { get; private protected set; }
    public bool WriteCacheEnabled { get; private protected init; }
    public bool ReadOnly { get; private protected init; }

    /// <summary>What the file or device can do (deallocation, zeroing), declared by the derived class
    /// once it is open.</summary>
    public BackstoreCapabilities Capabilities { get; private protected init; } = BackstoreCapabilities.Disk;

    /// <summary>The allocation unit of the file system or device, in logical blocks.</summary>
    public uint UnmapGranularity { get; private protected init; } = 1;

    public ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken) =>
        Io.ReadAsync(lba, buffer, cancellationToken);

    public ValueTask WriteAsync(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags, CancellationToken cancellationToken)
    {
        ThrowIfReadOnly();
        return Io.WriteAsync(lba, data, (flags & WriteFlags.Fua) != 0, cancellationToken);
    }

    public bool TryReadWithoutBlocking(ulong lba, Span<byte> buffer) => Io.TryReadWithoutBlocking(lba, buffer);

    public bool TryGetZeroCopyRange(ulong lba, int length, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SafeFileHandle? file, out long offset) =>
        Io.TryGetZeroCopyRange(lba, length, out file, out offset);

    public bool TryWriteWithoutBlocking(ulong lba, ReadOnlySpan<byte> data, WriteFlags flags)
    {
        ThrowIfReadOnly();
        return Io.TryWriteWithoutBlocking(lba, data, (flags & WriteFlags.Fua) != 0);
    }

    private void ThrowIfReadOnly()
    {
        if (ReadOnly)
        {
            throw new IOException($"{Plugin} backstore '{Name}' is read-only.");
        }
    }

    // ---- logical block provisioning (SBC-3 4.7) ----

    public ValueTask DeallocateAsync(ulong lba, ulong blockCount, WriteFlags flags, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        ThrowIfReadOnly();
        if (!Capabilities.Unmap)
        {
            throw new NotSupportedException($"{Plugin} backstore '{Name}' cannot deallocate blocks.");
        }

        Deallocate(ByteOffset(lba), ByteLength(blockCount));
        MakeDurable(flags);
        return default;
    }

    public ValueTask WriteZeroesAsync(ulong lba, ulong blockCount, WriteFlags flags, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        ThrowIfReadOnly();
        ZeroRange(ByteOffset(lba), ByteLength(blockCount));
        MakeDurable(flags);
        return default;
    }

    public virtual LbaStatusExtent GetLbaStatus(ulong lba, ulong maxBlocks) => new(ProvisioningStatus.Mapped, maxBlocks);

    public virtual bool TryGetProvisioningUsage(out ProvisioningUsage usage)
    {
        usage = default;
        return false;
    }

    /// <summary>Releases the storage of a byte range so that it reads as zeros (or, when
    /// <see cref="BackstoreCapabilities.UnmappedReadsZero"/> is not declared, as whatever the device
    /// returns for discarded blocks).</summary>
    private protected abstract void Deallocate(long offset, long length);

    /// <summary>Zeroes a byte range, keeping its storage.</summary>
    private protected abstract void ZeroRange(long offset, long length);

    /// <summary>Hole punching and zeroing change the file outside the O_SYNC write path: a write-through
    /// backstore (or a FUA request) syncs them before the command completes.</summary>
    private void MakeDurable(WriteFlags flags)
    {
        if (!WriteCacheEnabled || (flags & WriteFlags.Fua) != 0)
        {
            Io.Flush();
        }
    }

    private protected long ByteOffset(ulong lba) => checked((long)(lba * (ulong)BlockSize));

    private protected long ByteLength(ulong blocks) => checked((long)(blocks * (ulong)BlockSize));

    public ValueTask FlushAsync(CancellationToken cancellationToken) =>
        ReadOnly ? default : Io.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        Io.Dispose();
        GC.SuppressFinalize(this);
        return default;
    }
}
