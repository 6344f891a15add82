using Microsoft.Win32.SafeHandles;

namespace SharpSan.Backstores;

/// <summary>
/// Positional I/O over a file or block device: pread/pwrite through <see cref="RandomAccess"/> on
/// synchronous handles (on Linux a synchronous pread/pwrite is cheaper than the thread-pool emulated
/// "asynchronous" file I/O, and the fabric already runs commands on pool threads). Durability:
/// <list type="bullet">
/// <item>write-back: writes land in the page cache; FlushAsync = fsync; a FUA write goes through a
/// second handle opened with O_SYNC (<see cref="FileOptions.WriteThrough"/>), so it is durable when it
/// returns without flushing the whole file;</item>
/// <item>write-through: every write uses the O_SYNC handle.</item>
/// </list>
/// </summary>
internal sealed class FileHandleIo : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly SafeFileHandle? _syncHandle;
    private readonly int _blockSize;

    public FileHandleIo(string path, int blockSize, bool writeBack, bool readOnly)
    {
        _blockSize = blockSize;
        FileAccess access = readOnly ? FileAccess.Read : FileAccess.ReadWrite;
        _handle = File.OpenHandle(path, FileMode.Open, access, FileShare.ReadWrite, writeBack || readOnly ? FileOptions.None : FileOptions.WriteThrough);
        if (!readOnly && writeBack)
        {
            _syncHandle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, FileOptions.WriteThrough);
        }
    }

    public ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        long offset = checked((long)(lba * (ulong)_blockSize));
        Span<byte> span = buffer.Span;
        while (!span.IsEmpty)
        {
            int read = RandomAccess.Read(_handle, span, offset);
            if (read == 0)
            {
                // The file shrank underneath us: the blocks past its end read as zeros.
                span.Clear();
                break;
            }

            span = span[read..];
            offset += read;
        }

        return default;
    }

    public ValueTask WriteAsync(ulong lba, ReadOnlyMemory<byte> data, bool forceUnitAccess, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        long offset = checked((long)(lba * (ulong)_blockSize));
        RandomAccess.Write(forceUnitAccess && _syncHandle is not null ? _syncHandle : _handle, data.Span, offset);
        return default;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (!_handle.IsInvalid)
        {
            RandomAccess.FlushToDisk(_handle);
        }

        return default;
    }

    public long Length => RandomAccess.GetLength(_handle);

    public SafeFileHandle Handle => _handle;

    public void Dispose()
    {
        _syncHandle?.Dispose();
        _handle.Dispose();
    }
}
