namespace SharpSan.Platform;

/// <summary>What <see cref="AtomicFile"/> does when the directory cannot be fsynced after the rename.</summary>
public enum DirectorySync
{
    /// <summary>Throw an <see cref="IOException"/>: the caller must know the rename may not be durable.</summary>
    Required,
    /// <summary>Carry on: some file systems refuse to open or fsync a directory; the rename is still atomic.</summary>
    BestEffort,
}
