using System.Text;

namespace SharpSan.IscsiAdm.Database;

/// <summary>Writes a file whole or not at all: temp file in the same folder, fsync, rename, fsync folder.</summary>
internal static class AtomicFile
{
    /// <summary>Owner read/write only (0600): node and discovery records may hold CHAP secrets.</summary>
    public const UnixFileMode SecretMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void Write(string path, string text, UnixFileMode mode = SecretMode)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        CreateFolder(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = mode;
            using (var stream = new FileStream(temp, options))
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
        SyncFolder(folder);
    }

    public static void CreateFolder(string folder)
    {
        if (Directory.Exists(folder))
            return;
        if (OperatingSystem.IsWindows())
            Directory.CreateDirectory(folder);
        else
        {
            var parent = Path.GetDirectoryName(folder);
            if (!string.IsNullOrEmpty(parent))
                CreateFolder(parent);
            Directory.CreateDirectory(folder, FolderMode);
        }
    }

    private static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows())
            return;
        try
        {
            using var handle = File.OpenHandle(folder, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            RandomAccess.FlushToDisk(handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Some file systems refuse to open or fsync a folder; the rename is still atomic.
        }
    }
}
