namespace SharpSan.Platform;

/// <summary>How <see cref="AtomicFile.Write(string, ReadOnlySpan{byte}, AtomicWriteOptions?)"/> creates the file.</summary>
public sealed record AtomicWriteOptions
{
    /// <summary>The new file's mode, set at creation (so it is never briefly wider); default 0600.</summary>
    public UnixFileMode Mode { get; init; } = AtomicFile.PrivateMode;

    /// <summary>Create missing parent directories, each 0700; otherwise a missing directory is an error.</summary>
    public bool CreateDirectories { get; init; }

    /// <summary>Whether a failed fsync of the directory after the rename is an error.</summary>
    public DirectorySync DirectorySync { get; init; } = DirectorySync.Required;

    /// <summary>Test seam: runs with the temp file's path after its fsync, before the rename.</summary>
    public Action<string>? BeforeRename { get; init; }
}
