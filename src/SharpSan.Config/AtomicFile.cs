using System.Runtime.InteropServices;

namespace SharpSan.Config;

/// <summary>
/// Replace a file so that a crash at any instant leaves either the old or the new content, never a
/// mix: write a temp file in the same directory (rename is only atomic within one file system),
/// fsync it, rename it over the target, then fsync the directory so the rename itself is durable.
/// </summary>
internal static partial class AtomicFile
{
    /// <summary>rw------- : saveconfig.json holds CHAP secrets (rtslib uses the same mode).</summary>
    public const UnixFileMode PrivateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Temp files are "&lt;name&gt;.&lt;random&gt;.tmp", hidden, so concurrent writers never share one.</summary>
    public static string TempPrefix(string fileName) => "." + fileName + ".";

    public const string TempSuffix = ".tmp";

    public static void Write(string path, ReadOnlySpan<byte> content, Action<string>? beforeRename = null)
    {
        var directory = Path.GetDirectoryName(path) ?? ".";
        var temp = Path.Combine(directory, TempPrefix(Path.GetFileName(path)) + Guid.NewGuid().ToString("N")[..12] + TempSuffix);
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew, // never write through a file (or symlink) someone placed there
                Access = FileAccess.Write,
                Share = FileShare.None,
            };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = PrivateMode; // set at creation: the secrets are never world-readable
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true); // fsync
            }
            beforeRename?.Invoke(temp);
            File.Move(temp, path, overwrite: true); // rename(2)
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        SyncDirectory(directory);
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
