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
    private readonly bool _memoryBacked;
    private volatile bool _noWaitUnsupported;
    private SafeFileHandle? _zeroCopyHandle;

    public FileHandleIo(string path, int blockSize, bool writeBack, bool readOnly)
    {
        _blockSize = blockSize;
        FileAccess access = readOnly ? FileAccess.Read : FileAccess.ReadWrite;
        _handle = File.OpenHandle(path, FileMode.Open, access, FileShare.ReadWrite, writeBack || readOnly ? FileOptions.None : FileOptions.WriteThrough);
        if (!readOnly && writeBack)
        {
            _syncHandle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, FileOptions.WriteThrough);
        }

        _memoryBacked = NonBlockingIo.IsMemoryBacked(_handle);
    }

    /// <summary>
    /// Zero-copy source for a read: on a memory-backed file, the file itself (pages a socket can send
    /// with sendfile) when it holds the whole range. Reading tmpfs pages cannot block or fail, which is
    /// what lets a fabric commit to GOOD status before the bytes leave.
    /// </summary>
    public bool TryGetZeroCopyRange(ulong lba, int length, out SafeFileHandle? file, out long offset)
    {
        file = null;
        offset = checked((long)(lba * (ulong)_blockSize));
        if (!_memoryBacked || offset + length > RandomAccess.GetLength(_handle))
        {
            // A file shorter than the LUN reads as zeros past its end: only the copying path does that.
            return false;
        }

        // A read-only descriptor of the same file (opened "asynchronous", as Socket.SendPacketsAsync
        // requires of the files it sends; only used with explicit offsets, so sharing it between
        // commands is safe). Reopened through /proc/self/fd, not the path: the path may name another
        // file by now, the descriptor cannot.
        file = Volatile.Read(ref _zeroCopyHandle);
        if (file is null)
        {
            string self = $"/proc/self/fd/{_handle.DangerousGetHandle()}";
            var handle = File.OpenHandle(self, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.Asynchronous);
            file = Interlocked.CompareExchange(ref _zeroCopyHandle, handle, null) ?? handle;
            if (!ReferenceEquals(file, handle)) handle.Dispose();
        }

        return true;
    }

    /// <summary>
    /// A read that cannot block: on a memory-backed file, pread itself; otherwise preadv2(RWF_NOWAIT),
    /// which serves page-cache hits and reports misses (then the caller reads on a pool thread).
    /// </summary>
    public bool TryReadWithoutBlocking(ulong lba, Span<byte> buffer)
    {
        if (_memoryBacked)
        {
            Read(lba, buffer);
            return true;
        }

        if (_noWaitUnsupported)
        {
            return false;
        }

        long offset = checked((long)(lba * (ulong)_blockSize));
        switch (NonBlockingIo.TryReadCached(_handle, buffer, offset))
        {
            case NonBlockingIo.ReadOutcome.Done:
                return true;
            case NonBlockingIo.ReadOutcome.Unsupported:
                _noWaitUnsupported = true;
                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// A write that cannot block: only on a memory-backed file, where pwrite copies into the page cache
    /// that is the storage and O_SYNC/fsync have nothing to wait for, so FUA and write-through keep their
    /// meaning. Buffered writes to a disk file may wait on writeback throttling, and Linux has no
    /// RWF_NOWAIT for them on most file systems, so they go to a pool thread.
    /// </summary>
    public bool TryWriteWithoutBlocking(ulong lba, ReadOnlySpan<byte> data, bool forceUnitAccess)
    {
        if (!_memoryBacked)
        {
            return false;
        }

        long offset = checked((long)(lba * (ulong)_blockSize));
        RandomAccess.Write(forceUnitAccess && _syncHandle is not null ? _syncHandle : _handle, data, offset);
        return true;
    }

    public ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        Read(lba, buffer.Span);
        return default;
    }

    private void Read(ulong lba, Span<byte> span)
    {
        long offset = checked((long)(lba * (ulong)_blockSize));
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

    /// <summary>Writes zeros over a byte range with ordinary writes: the fallback where neither the file
    /// system nor the device can zero a range itself. One pooled 1 MiB buffer, no per-call allocation.</summary>
    public void WriteZeros(long offset, long length)
    {
        int chunk = (int)Math.Min(length, 1024 * 1024);
        byte[] zeros = System.Buffers.ArrayPool<byte>.Shared.Rent(chunk);
        try
        {
            Array.Clear(zeros, 0, chunk);
            while (length > 0)
            {
                int count = (int)Math.Min(length, chunk);
                RandomAccess.Write(_handle, zeros.AsSpan(0, count), offset);
                offset += count;
                length -= count;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(zeros);
        }
    }

    /// <summary>fsync, for the provisioning operations (hole punching, zeroing) of a write-through
    /// backstore, which must be durable when they complete as any write must.</summary>
    public void Flush()
    {
        RandomAccess.FlushToDisk(_handle);
    }

    public long Length => RandomAccess.GetLength(_handle);

    public SafeFileHandle Handle => _handle;

    public void Dispose()
    {
        _zeroCopyHandle?.Dispose();
        _syncHandle?.Dispose();
        _handle.Dispose();
    }
}
