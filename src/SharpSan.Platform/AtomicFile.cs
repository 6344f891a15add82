using System.Runtime.InteropServices;
using System.Text;

namespace SharpSan.Platform;

/// <summary>
/// Replace a file so that a crash at any instant leaves either the old or the new content, never a
/// mix: write a temp file in the same directory (rename is only atomic within one file system),
/// fsync it, rename it over the target, then fsync the directory so the rename itself is durable.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>rw------- : saveconfig.json and node/discovery records hold CHAP secrets (rtslib and open-iscsi use the same mode).</summary>
    public const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>rwx------ : directories <see cref="AtomicWriteOptions.CreateDirectories"/> makes.</summary>
    public const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Temp files are ".&lt;name&gt;.&lt;pid&gt;.&lt;random&gt;.tmp", hidden, so concurrent writers never share one.</summary>
    public static string TempPrefix(string fileName) => "." + fileName + ".";

    public const string TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no BOM).</summary>
    public static void Write(string path, string text, AtomicWriteOptions? options = null) =>
        Write(path, Encoding.UTF8.GetBytes(text), options);

    public static void Write(string path, ReadOnlySpan<byte> content, AtomicWriteOptions? options = null)
    {
        options ??= Defaults;
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath) ?? ".";
        if (options.CreateDirectories)
            CreateDirectory(directory);
        var temp = Path.Combine(directory,
            TempPrefix(Path.GetFileName(fullPath)) + Environment.ProcessId + "." + Guid.NewGuid().ToString("N")[..12] + TempSuffix);
        try
        {
            var stream = new FileStreamOptions
            {
                Mode = FileMode.CreateNew, // never write through a file (or symlink) someone placed there
                Access = FileAccess.Write,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows())
                stream.UnixCreateMode = options.Mode; // set at creation: secrets are never world-readable
            using (var file = new FileStream(temp, stream))
            {
                file.Write(content);
                file.Flush(flushToDisk: true); // fsync
            }
            options.BeforeRename?.Invoke(temp);
            File.Move(temp, fullPath, overwrite: true); // rename(2)
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        try
        {
            SyncDirectory(directory);
        }
        catch (IOException) when (options.DirectorySync == DirectorySync.BestEffort)
        {
            // The rename is atomic all the same; only its durability across a power cut is unconfirmed.
        }
    }

    private static readonly AtomicWriteOptions Defaults = new();

    /// <summary>Creates <paramref name="directory"/> and missing parents, each 0700 (mkdir -p with a private mode).</summary>
    public static void CreateDirectory(string directory)
    {
        if (Directory.Exists(directory))
            return;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            return;
        }
        var parent = Path.GetDirectoryName(directory);
        if (!string.IsNullOrEmpty(parent))
            CreateDirectory(parent);
        Directory.CreateDirectory(directory, PrivateDirectoryMode);
    }

    /// <summary>fsync(2) on the directory, so the new directory entry survives a power cut.</summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
            return;
        var fd = Open(directory, 0 /* O_RDONLY; O_DIRECTORY's value differs between architectures */);
        if (fd < 0)
            throw new IOException($"cannot open directory {directory} to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0)
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original error is the one worth reporting.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
