namespace SharpSan.Initiator.Fuse;

/// <summary>The FUSE kernel protocol (include/uapi/linux/fuse.h, 7.x): opcodes, flags and struct sizes.</summary>
internal static class FuseProtocol
{
    public const uint MajorVersion = 7;
    /// <summary>The minor version this server speaks; the kernel adapts to older minors.</summary>
    public const uint MinorVersion = 31;

    public const ulong RootId = 1;

    public const int InHeaderSize = 40;   // len, opcode, unique, nodeid, uid, gid, pid, total_extlen, padding
    public const int OutHeaderSize = 16;  // len, error, unique
    public const int WriteInSize = 40;    // fuse_write_in (7.9+)
    public const int AttrSize = 88;       // fuse_attr (7.9+)
    public const int EntryOutSize = 40 + AttrSize;
    public const int AttrOutSize = 16 + AttrSize;
    public const int OpenOutSize = 16;
    public const int InitOutSize = 64;
    public const int StatfsOutSize = 80;

    // FUSE_INIT flags (fuse_init_in.flags / fuse_init_out.flags).
    public const uint InitAsyncRead = 1u << 0;
    public const uint InitBigWrites = 1u << 5;
    public const uint InitAsyncDio = 1u << 15;
    public const uint InitMaxPages = 1u << 22;

    // fuse_open_out.open_flags.
    public const uint FopenDirectIo = 1u << 0;
    public const uint FopenNoFlush = 1u << 5;
    public const uint FopenParallelDirectWrites = 1u << 6;

    // fuse_setattr_in.valid.
    public const uint FattrMode = 1u << 0, FattrUid = 1u << 1, FattrGid = 1u << 2, FattrSize = 1u << 3;

    public const uint S_IFDIR = 0x4000, S_IFREG = 0x8000;
    public const uint DT_DIR = 4, DT_REG = 8;
}

/// <summary>FUSE opcodes (enum fuse_opcode).</summary>
internal enum FuseOpcode : uint
{
    Lookup = 1,
    Forget = 2,
    Getattr = 3,
    Setattr = 4,
    Readlink = 5,
    Open = 14,
    Read = 15,
    Write = 16,
    Statfs = 17,
    Release = 18,
    Fsync = 20,
    Setxattr = 21,
    Getxattr = 22,
    Listxattr = 23,
    Removexattr = 24,
    Flush = 25,
    Init = 26,
    Opendir = 27,
    Readdir = 28,
    Releasedir = 29,
    Fsyncdir = 30,
    Access = 34,
    Interrupt = 36,
    Destroy = 38,
    BatchForget = 42,
    /// <summary>fallocate(2) on the file (fuse_fallocate_in: fh, offset, length, mode): the loop device
    /// sends a discard (blkdiscard, fstrim) as FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE.</summary>
    Fallocate = 43,
}
