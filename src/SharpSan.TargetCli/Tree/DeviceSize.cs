namespace SharpSan.TargetCli.Tree;

/// <summary>
/// The size ls shows for block and fileio backstores whose tree entry carries no size: read (never
/// written) from the file, or from the block device's sysfs entry. The daemon's snapshot has no live sizes.
/// </summary>
public static class DeviceSize
{
    public static ulong? Probe(string path)
    {
        try
        {
            if (IsBlockDevice(path))
            {
                var sys = $"/sys/class/block/{Path.GetFileName(Resolve(path))}/size";
                return File.Exists(sys) && ulong.TryParse(File.ReadAllText(sys).Trim(), out var sectors) ? sectors * 512 : null;
            }
            var info = new FileInfo(path);
            return info.Exists ? (ulong)info.Length : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>A /dev node that sysfs lists as a block device (symlinks such as /dev/disk/by-id followed).</summary>
    public static bool IsBlockDevice(string path)
    {
        try
        {
            var resolved = Resolve(path);
            return resolved.StartsWith("/dev/", StringComparison.Ordinal) && File.Exists(resolved)
                   && Directory.Exists($"/sys/class/block/{Path.GetFileName(resolved)}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    private static string Resolve(string path)
        => new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
}
