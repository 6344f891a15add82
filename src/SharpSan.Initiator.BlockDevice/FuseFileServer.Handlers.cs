using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SharpSan.Initiator.Fuse;

public sealed partial class FuseFileServer
{
    private const ulong FileId = 2;
    private const ulong CacheSeconds = 3600; // names and attributes never change while mounted

    /// <summary>Handles one request: metadata inline on the reader thread, data on the thread pool.</summary>
    private void Dispatch(byte[] buffer, int length)
    {
        bool owned = true;
        try
        {
            if (length < FuseProtocol.InHeaderSize) return;
            var header = buffer.AsSpan(0, FuseProtocol.InHeaderSize);
            var opcode = (FuseOpcode)BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            ulong unique = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
            ulong node = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
            var args = buffer.AsSpan(FuseProtocol.InHeaderSize, length - FuseProtocol.InHeaderSize);
            switch (opcode)
            {
                case FuseOpcode.Read or FuseOpcode.Write or FuseOpcode.Fsync or FuseOpcode.Fallocate:
                    owned = false;
                    _work.Add((buffer, length));
                    return;
                case FuseOpcode.Forget or FuseOpcode.BatchForget or FuseOpcode.Interrupt:
                    return; // no reply: one file, nothing to forget; requests finish on their own
                default:
                    HandleMetadata(opcode, unique, node, args);
                    return;
            }
        }
        finally
        {
            if (owned) Done(buffer);
        }
    }

    private void Done(byte[] buffer)
    {
        ReturnRequestBuffer(buffer);
        _slots.Release();
    }

    private void HandleMetadata(FuseOpcode opcode, ulong unique, ulong node, ReadOnlySpan<byte> args)
    {
        switch (opcode)
        {
            case FuseOpcode.Init:
                HandleInit(unique, args);
                break;
            case FuseOpcode.Lookup:
            {
                int nul = args.IndexOf((byte)0);
                var name = nul < 0 ? args : args[..nul];
                if (node != FuseProtocol.RootId) ReplyError(unique, 20 /* ENOTDIR */);
                else if (!name.SequenceEqual(Encoding.UTF8.GetBytes(FileName))) ReplyError(unique, Native.ENOENT);
                else
                {
                    Span<byte> entry = stackalloc byte[FuseProtocol.EntryOutSize];
                    entry.Clear();
                    BinaryPrimitives.WriteUInt64LittleEndian(entry, FileId);
                    BinaryPrimitives.WriteUInt64LittleEndian(entry[16..], CacheSeconds); // entry_valid
                    BinaryPrimitives.WriteUInt64LittleEndian(entry[24..], CacheSeconds); // attr_valid
                    WriteAttr(entry[40..], FileId);
                    Reply(unique, 0, entry);
                }
                break;
            }
            case FuseOpcode.Getattr:
            case FuseOpcode.Setattr:
            {
                if (node != FuseProtocol.RootId && node != FileId) { ReplyError(unique, Native.ENOENT); break; }
                if (opcode == FuseOpcode.Setattr && args.Length >= 24)
                {
                    uint valid = BinaryPrimitives.ReadUInt32LittleEndian(args);
                    ulong size = BinaryPrimitives.ReadUInt64LittleEndian(args[16..]);
                    // The file is the LUN: its size, owner and mode are fixed. Times are accepted and ignored.
                    if ((valid & FuseProtocol.FattrSize) != 0 && (node != FileId || (long)size != _fileSize)) { ReplyError(unique, Native.EPERM); break; }
                    if ((valid & (FuseProtocol.FattrMode | FuseProtocol.FattrUid | FuseProtocol.FattrGid)) != 0) { ReplyError(unique, Native.EPERM); break; }
                }
                Span<byte> attr = stackalloc byte[FuseProtocol.AttrOutSize];
                attr.Clear();
                BinaryPrimitives.WriteUInt64LittleEndian(attr, CacheSeconds);
                WriteAttr(attr[16..], node);
                Reply(unique, 0, attr);
                break;
            }
            case FuseOpcode.Open:
            case FuseOpcode.Opendir:
            {
                bool dir = opcode == FuseOpcode.Opendir;
                if (dir != (node == FuseProtocol.RootId)) { ReplyError(unique, dir ? 20 /* ENOTDIR */ : Native.EISDIR); break; }
                Span<byte> open = stackalloc byte[FuseProtocol.OpenOutSize];
                open.Clear();
                // Direct I/O: no page cache for the file, so a loop device (direct I/O or not), fsck on
                // the file and every other opener see the store's bytes; parallel direct writes lift the
                // kernel's per-inode write serialisation; no FLUSH on close (FSYNC carries durability).
                if (!dir) BinaryPrimitives.WriteUInt32LittleEndian(open[8..], FuseProtocol.FopenDirectIo | FuseProtocol.FopenParallelDirectWrites | FuseProtocol.FopenNoFlush);
                Reply(unique, 0, open);
                break;
            }
            case FuseOpcode.Readdir:
                HandleReaddir(unique, node, args);
                break;
            case FuseOpcode.Statfs:
            {
                Span<byte> st = stackalloc byte[FuseProtocol.StatfsOutSize];
                st.Clear();
                BinaryPrimitives.WriteUInt64LittleEndian(st, _store.BlockCount);       // blocks
                BinaryPrimitives.WriteUInt64LittleEndian(st[24..], 2);                  // files
                BinaryPrimitives.WriteUInt32LittleEndian(st[40..], (uint)_store.BlockSize); // bsize
                BinaryPrimitives.WriteUInt32LittleEndian(st[44..], 255);                // namelen
                BinaryPrimitives.WriteUInt32LittleEndian(st[48..], (uint)_store.BlockSize); // frsize
                Reply(unique, 0, st);
                break;
            }
            case FuseOpcode.Release or FuseOpcode.Releasedir or FuseOpcode.Flush or FuseOpcode.Fsyncdir or FuseOpcode.Access or FuseOpcode.Destroy:
                Reply(unique, 0, default);
                break;
            default:
                // GETXATTR, LISTXATTR, SETXATTR, REMOVEXATTR, FALLOCATE, LSEEK, ...: ENOSYS makes the
                // kernel remember that the operation is unsupported and stop asking.
                ReplyError(unique, Native.ENOSYS);
                break;
        }
    }

    private void HandleInit(ulong unique, ReadOnlySpan<byte> args)
    {
        if (args.Length < 16) { ReplyError(unique, Native.EINVAL); return; }
        uint major = BinaryPrimitives.ReadUInt32LittleEndian(args);
        uint maxReadahead = BinaryPrimitives.ReadUInt32LittleEndian(args[8..]);
        uint flags = BinaryPrimitives.ReadUInt32LittleEndian(args[12..]);
        Span<byte> o = stackalloc byte[FuseProtocol.InitOutSize];
        o.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(o, FuseProtocol.MajorVersion);
        if (major > FuseProtocol.MajorVersion)
        {
            // The kernel will send INIT again with our major version.
            Reply(unique, 0, o[..8]);
            return;
        }
        if (major < FuseProtocol.MajorVersion) { ReplyError(unique, 71 /* EPROTO */); return; }
        const uint wanted = FuseProtocol.InitAsyncRead | FuseProtocol.InitBigWrites | FuseProtocol.InitAsyncDio | FuseProtocol.InitMaxPages;
        BinaryPrimitives.WriteUInt32LittleEndian(o[4..], FuseProtocol.MinorVersion);
        BinaryPrimitives.WriteUInt32LittleEndian(o[8..], maxReadahead);
        BinaryPrimitives.WriteUInt32LittleEndian(o[12..], flags & wanted);
        BinaryPrimitives.WriteUInt16LittleEndian(o[16..], MaxInFlight);            // max_background
        BinaryPrimitives.WriteUInt16LittleEndian(o[18..], MaxInFlight * 3 / 4);    // congestion_threshold
        BinaryPrimitives.WriteUInt32LittleEndian(o[20..], MaxWrite);               // max_write
        BinaryPrimitives.WriteUInt32LittleEndian(o[24..], 1);                      // time_gran (ns)
        BinaryPrimitives.WriteUInt16LittleEndian(o[28..], MaxWrite / 4096);        // max_pages
        Reply(unique, 0, o);
    }

    private void WriteAttr(Span<byte> a, ulong node)
    {
        bool file = node == FileId;
        long size = file ? _fileSize : 0;
        BinaryPrimitives.WriteUInt64LittleEndian(a, node);                         // ino
        BinaryPrimitives.WriteUInt64LittleEndian(a[8..], (ulong)size);             // size
        BinaryPrimitives.WriteUInt64LittleEndian(a[16..], (ulong)(size / 512));    // blocks
        BinaryPrimitives.WriteUInt32LittleEndian(a[60..], file ? FuseProtocol.S_IFREG | 0x180 /* 0600 */ : FuseProtocol.S_IFDIR | 0x1ED /* 0755 */);
        BinaryPrimitives.WriteUInt32LittleEndian(a[64..], file ? 1u : 2u);        // nlink
        BinaryPrimitives.WriteUInt32LittleEndian(a[80..], (uint)_store.BlockSize); // blksize
    }

    private void HandleReaddir(ulong unique, ulong node, ReadOnlySpan<byte> args)
    {
        if (node != FuseProtocol.RootId) { ReplyError(unique, 20 /* ENOTDIR */); return; }
        ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(args[8..]);
        int size = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(args[16..]), 4096u);
        Span<byte> o = stackalloc byte[4096];
        int used = 0;
        (ulong Ino, uint Type, string Name)[] entries = [(FuseProtocol.RootId, FuseProtocol.DT_DIR, "."), (FuseProtocol.RootId, FuseProtocol.DT_DIR, ".."), (FileId, FuseProtocol.DT_REG, FileName)];
        for (int i = (int)Math.Min(offset, 3); i < entries.Length; i++)
        {
            int nameLength = Encoding.UTF8.GetByteCount(entries[i].Name);
            int record = (24 + nameLength + 7) & ~7;
            if (used + record > size) break;
            var d = o.Slice(used, record);
            d.Clear();
            BinaryPrimitives.WriteUInt64LittleEndian(d, entries[i].Ino);
            BinaryPrimitives.WriteUInt64LittleEndian(d[8..], (ulong)(i + 1)); // offset of the next entry
            BinaryPrimitives.WriteUInt32LittleEndian(d[16..], (uint)nameLength);
            BinaryPrimitives.WriteUInt32LittleEndian(d[20..], entries[i].Type);
            Encoding.UTF8.GetBytes(entries[i].Name, d[24..]);
            used += record;
        }
        Reply(unique, 0, o[..used]);
    }
}
