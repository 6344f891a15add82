using System.Diagnostics;

namespace SharpSan.Initiator.Fuse;

/// <summary>
/// Makes partitions written with fdisk/parted show up as loopNpM, as sdbN does on a real disk. The
/// kernel's BLKRRPART on a loop device does not always rescan here (no udev, and the partition scan
/// is suppressed while the loop is being configured), so after a flush that follows a write to the
/// partition-table area (the first 34 sectors: MBR and the primary GPT), the partitions are updated
/// with util-linux's partx (BLKPG), in the background — partx reads the disk through this very store.
/// </summary>
internal sealed class PartitionWatchStore : IBlockStore
{
    private const long TableBytes = 34 * 512;
    private readonly IBlockStore _inner;
    private volatile bool _tableWritten;

    public PartitionWatchStore(IBlockStore inner) => _inner = inner;

    /// <summary>The loop device to refresh; set once it is attached.</summary>
    public string? DevicePath { get; set; }

    public int BlockSize => _inner.BlockSize;
    public ulong BlockCount => _inner.BlockCount;

    public Task ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken) =>
        _inner.ReadAsync(lba, buffer, cancellationToken);

    public Task WriteAsync(ulong lba, ReadOnlyMemory<byte> data, bool fua, CancellationToken cancellationToken)
    {
        if ((long)lba * BlockSize < TableBytes) _tableWritten = true;
        return _inner.WriteAsync(lba, data, fua, cancellationToken);
    }

    public bool SupportsDeallocate => _inner.SupportsDeallocate;

    /// <summary>A discard of the partition table's blocks zeroes it, as a write would change it.</summary>
    public Task DeallocateAsync(ulong lba, ulong blockCount, CancellationToken cancellationToken)
    {
        if ((long)lba * BlockSize < TableBytes) _tableWritten = true;
        return _inner.DeallocateAsync(lba, blockCount, cancellationToken);
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (_tableWritten && DevicePath is { } device)
        {
            _tableWritten = false;
            _ = Task.Run(() => Refresh(device));
        }
    }

    /// <summary>Adds, resizes or removes the kernel's partitions of <paramref name="device"/> to match its table.</summary>
    public static void Refresh(string device)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("partx", $"-u {device}")
            {
                UseShellExecute = false,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            });
            if (p is null) return;
            if (!p.WaitForExit(TimeSpan.FromSeconds(30))) p.Kill();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // util-linux's partx missing: partitions appear at the next login's partition scan only.
        }
    }
}
