namespace SharpSan.Tgt.Tree;

/// <summary>
/// Looks at a backing store path the way tgtd's open does: a regular file (its size) or a block
/// device (its size from sysfs), read-write if it can be, else read-only (bs_rdwr_open retries
/// O_RDONLY on EACCES/EROFS and marks the LUN readonly); anything else (missing, a directory, a
/// character device) is refused. tgtadm runs on the daemon's host, so the path means the same there.
/// </summary>
internal static class BackingStoreProbe
{
    public static BackingStoreInfo? Probe(string path)
    {
        try
        {
            var full = System.IO.Path.GetFullPath(path);
            var resolved = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
            if (resolved.StartsWith("/dev/", StringComparison.Ordinal) && File.Exists(resolved))
            {
                var sys = $"/sys/class/block/{System.IO.Path.GetFileName(resolved)}";
                if (!Directory.Exists(sys))
                    return null; // a character device or another special file
                var sectors = ulong.Parse(File.ReadAllText(System.IO.Path.Combine(sys, "size")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
                var canWrite = CanWrite(resolved);
                if (!canWrite && !CanRead(resolved))
                    return null;
                return new BackingStoreInfo(full, true, sectors * 512, canWrite);
            }
            var info = new FileInfo(resolved);
            if (!info.Exists || (info.Attributes & FileAttributes.Directory) != 0)
                return null;
            var writable = CanWrite(resolved);
            if (!writable && !CanRead(resolved))
                return null;
            return new BackingStoreInfo(full, false, (ulong)info.Length, writable);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or FormatException or NotSupportedException)
        {
            return null;
        }
    }

    private static bool CanWrite(string path)
    {
        try
        {
            using var h = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }

    private static bool CanRead(string path)
    {
        try
        {
            using var h = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return true;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
