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

    /// <summary>A disk: fileio and block serve SBC-3 with no thin provisioning or offloads yet.</summary>
    public BackstoreCapabilities Capabilities => BackstoreCapabilities.Disk;

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

    public ValueTask FlushAsync(CancellationToken cancellationToken) =>
        ReadOnly ? default : Io.FlushAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        Io.Dispose();
        GC.SuppressFinalize(this);
        return default;
    }
}
