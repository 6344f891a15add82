using System.Globalization;

namespace SharpSan.Target;

/// <summary>
/// Finds which process listens on a TCP port, so "address in use" can name the culprit (an old
/// tgtd or LIO's kernel target, typically). Reads /proc/net/tcp{,6} for the listening socket's inode
/// and /proc/PID/fd for its owner. Best effort: null when it cannot tell (e.g. no permission).
/// </summary>
internal static class PortOwner
{
    public static string? Describe(int port)
    {
        try
        {
            var inodes = new HashSet<string>();
            foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
            {
                if (!File.Exists(table)) continue;
                foreach (var line in File.ReadLines(table).Skip(1))
                {
                    var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length < 10 || f[3] != "0A") continue; // 0A = LISTEN
                    var local = f[1];
                    int colon = local.LastIndexOf(':');
                    if (int.Parse(local[(colon + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port) inodes.Add(f[9]);
                }
            }
            if (inodes.Count == 0) return null;
            if (inodes.Contains("0")) return "the kernel (LIO's iSCSI target?)";
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                var pid = Path.GetFileName(dir);
                if (!pid.All(char.IsAsciiDigit)) continue;
                try
                {
                    foreach (var fd in Directory.EnumerateFileSystemEntries(Path.Combine(dir, "fd")))
                    {
                        var target = new FileInfo(fd).LinkTarget;
                        if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal) && inodes.Contains(target[8..^1]))
                        {
                            var comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                            return $"{comm} (pid {pid})";
                        }
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
        }
        return null;
    }
}
