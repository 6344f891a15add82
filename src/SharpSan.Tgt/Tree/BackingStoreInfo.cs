namespace SharpSan.Tgt.Tree;

/// <summary>What a backing store path is, as tgt's bs_rdwr open finds it (usr/util.c backed_file_open).</summary>
internal sealed record BackingStoreInfo(string Path, bool IsBlockDevice, ulong Size, bool Writable);
