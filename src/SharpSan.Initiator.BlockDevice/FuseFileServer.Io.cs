using System.Buffers;
using System.Buffers.Binary;

namespace SharpSan.Initiator.Fuse;

public sealed partial class FuseFileServer
{
    /// <summary>READ, WRITE and FSYNC: the store's calls, with read-modify-write for partial blocks.</summary>
    private async Task HandleIoAsync(byte[] buffer, int length)
    {
        var opcode = (FuseOpcode)BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(4));
        ulong unique = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(8));
        ulong node = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(16));
        try
        {
            if (node != FileId)
            {
                ReplyError(unique, Native.EISDIR);
                return;
            }
            const int a = FuseProtocol.InHeaderSize;
            switch (opcode)
            {
                case FuseOpcode.Read:
                {
                    ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(a + 8));
                    uint size = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(a + 16));
                    await ReadAsync(unique, offset, size).ConfigureAwait(false);
                    break;
                }
                case FuseOpcode.Write:
                {
                    ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(a + 8));
                    uint size = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(a + 16));
                    uint openFlags = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(a + 32));
                    int dataStart = a + FuseProtocol.WriteInSize;
                    if (dataStart + (long)size > length)
                    {
                        ReplyError(unique, Native.EINVAL);
                        break;
                    }
                    // O_SYNC / O_DSYNC writers get FUA; the kernel follows such writes with FSYNC anyway.
                    bool fua = (openFlags & Native.O_DSYNC) != 0;
                    await WriteAsync(unique, offset, buffer.AsMemory(dataStart, (int)size), fua).ConfigureAwait(false);
                    break;
                }
                case FuseOpcode.Fsync:
                    await _store.FlushAsync(_stop.Token).ConfigureAwait(false);
                    Reply(unique, 0, default);
                    break;
                case FuseOpcode.Fallocate:
                {
                    ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(a + 8));
                    ulong size = BinaryPrimitives.ReadUInt64LittleEndian(buffer.AsSpan(a + 16));
                    uint mode = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(a + 24));
                    await DeallocateAsync(unique, offset, size, mode).ConfigureAwait(false);
                    break;
                }
                default:
                    ReplyError(unique, Native.ENOSYS);
                    break;
            }
        }
        catch (Exception ex)
        {
            // Every store failure (SCSI sense, lost session, cancellation at shutdown) is EIO to the kernel.
            if (!_stop.IsCancellationRequested) _onError?.Invoke(ex);
            ReplyError(unique, Native.EIO);
        }
        finally
        {
            Done(buffer);
        }
    }

    /// <summary>
    /// fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE) of whole blocks: the store deallocates them
    /// (UNMAP on a thin LUN, which reads them back as zeros). This is how a discard on the loop device
    /// (blkdiscard, fstrim, mount -o discard) reaches the target. Every other mode, a range that is not
    /// made of whole blocks, or a store that cannot deallocate, is EOPNOTSUPP, which the loop device
    /// reports to whoever discarded.
    /// </summary>
    private async Task DeallocateAsync(ulong unique, ulong offset, ulong size, uint mode)
    {
        const uint keepSize = 0x01, punchHole = 0x02;
        ulong bs = (ulong)_store.BlockSize;
        if (mode != (punchHole | keepSize) || !_store.SupportsDeallocate || offset % bs != 0 || size % bs != 0)
        {
            ReplyError(unique, Native.EOPNOTSUPP);
            return;
        }

        ulong first = offset / bs;
        ulong end = Math.Min((offset + size) / bs, _store.BlockCount);
        if (end > first)
        {
            await _store.DeallocateAsync(first, end - first, _stop.Token).ConfigureAwait(false);
        }

        Reply(unique, 0, default);
    }

    private async Task ReadAsync(ulong unique, ulong offset, uint size)
    {
        if (offset >= (ulong)_fileSize || size == 0)
        {
            Reply(unique, 0, default); // end of file
            return;
        }
        int length = (int)Math.Min(size, (ulong)_fileSize - offset);
        int bs = _store.BlockSize;
        ulong first = offset / (ulong)bs;
        ulong end = (offset + (ulong)length + (ulong)bs - 1) / (ulong)bs;
        int cover = checked((int)((end - first) * (ulong)bs));
        var temp = ArrayPool<byte>.Shared.Rent(cover);
        try
        {
            await _store.ReadAsync(first, temp.AsMemory(0, cover), _stop.Token).ConfigureAwait(false);
            Reply(unique, 0, temp.AsSpan((int)(offset - first * (ulong)bs), length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(temp);
        }
    }

    private async Task WriteAsync(ulong unique, ulong offset, ReadOnlyMemory<byte> data, bool fua)
    {
        if (data.Length == 0)
        {
            ReplyWritten(unique, 0);
            return;
        }
        if (offset >= (ulong)_fileSize)
        {
            ReplyError(unique, Native.ENOSPC); // the LUN cannot grow
            return;
        }
        if ((ulong)data.Length > (ulong)_fileSize - offset) data = data[..(int)((ulong)_fileSize - offset)]; // short write at the end
        int bs = _store.BlockSize;
        int head = (int)(offset % (ulong)bs);
        int tail = (int)((offset + (ulong)data.Length) % (ulong)bs);
        ulong first = offset / (ulong)bs;
        if (head == 0 && tail == 0)
        {
            await _store.WriteAsync(first, data, fua, _stop.Token).ConfigureAwait(false);
            ReplyWritten(unique, data.Length);
            return;
        }

        // Read-modify-write. Two writes that share a partial block without overlapping both take that
        // block's lock, so neither loses the other's bytes; whole blocks need no lock.
        ulong end = (offset + (ulong)data.Length + (ulong)bs - 1) / (ulong)bs;
        ulong last = end - 1;
        int cover = checked((int)((end - first) * (ulong)bs));
        int lockA = (int)(first % LockStripes), lockB = (int)(last % LockStripes);
        if (lockA > lockB) (lockA, lockB) = (lockB, lockA);
        await _blockLocks[lockA].WaitAsync(_stop.Token).ConfigureAwait(false);
        bool second = false;
        var temp = ArrayPool<byte>.Shared.Rent(cover);
        try
        {
            if (lockB != lockA)
            {
                await _blockLocks[lockB].WaitAsync(_stop.Token).ConfigureAwait(false);
                second = true;
            }
            if (head != 0)
                await _store.ReadAsync(first, temp.AsMemory(0, bs), _stop.Token).ConfigureAwait(false);
            if (tail != 0 && (last != first || head == 0))
                await _store.ReadAsync(last, temp.AsMemory(cover - bs, bs), _stop.Token).ConfigureAwait(false);
            data.Span.CopyTo(temp.AsSpan(head));
            await _store.WriteAsync(first, temp.AsMemory(0, cover), fua, _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(temp);
            if (second) _blockLocks[lockB].Release();
            _blockLocks[lockA].Release();
        }
        ReplyWritten(unique, data.Length);
    }

    private void ReplyWritten(ulong unique, int count)
    {
        Span<byte> o = stackalloc byte[8];
        o.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(o, (uint)count);
        Reply(unique, 0, o);
    }
}
