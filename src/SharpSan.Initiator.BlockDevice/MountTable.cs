namespace SharpSan.Initiator.Fuse;

/// <summary>Reads /proc/self/mountinfo (this process's mount namespace).</summary>
internal static class MountTable
{
    public readonly record struct Entry(string MajorMinor, string MountPoint, string FsType, string Source);

    public static IReadOnlyList<Entry> Read()
    {
        var result = new List<Entry>();
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mountpoint options [optional fields...] - fstype source superoptions
            var f = line.Split(' ');
            int dash = Array.IndexOf(f, "-", 6);
            if (f.Length < 5 || dash < 0 || dash + 2 >= f.Length) continue;
            result.Add(new Entry(f[2], Unescape(f[4]), f[dash + 1], Unescape(f[dash + 2])));
        }
        return result;
    }

    /// <summary>Where the block device <paramref name="majorMinor"/> ("7:3") is mounted.</summary>
    public static IReadOnlyList<string> MountPointsOf(string majorMinor)
        => Read().Where(e => e.MajorMinor == majorMinor).Select(e => e.MountPoint).ToList();

    /// <summary>Mount points of a block device or of any of its partitions (/sys/block/NAME/NAMEpN).</summary>
    public static IReadOnlyList<string> MountPointsOfDisk(string deviceName, string majorMinor)
    {
        var ids = new HashSet<string> { majorMinor };
        var sys = Path.Combine("/sys/block", deviceName);
        if (Directory.Exists(sys))
        {
            foreach (var part in Directory.EnumerateDirectories(sys, deviceName + "p*"))
            {
                var dev = Path.Combine(part, "dev");
                if (File.Exists(dev)) ids.Add(File.ReadAllText(dev).Trim());
            }
        }
        return Read().Where(e => ids.Contains(e.MajorMinor)).Select(e => e.MountPoint).ToList();
    }

    public static bool IsMountPoint(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        return Read().Any(e => e.MountPoint == full);
    }

    /// <summary>Decodes the kernel's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash).</summary>
    private static string Unescape(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new System.Text.StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && IsOctal(s, i + 1))
            {
                sb.Append((char)Convert.ToInt32(s.Substring(i + 1, 3), 8));
                i += 3;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }

    private static bool IsOctal(string s, int at)
        => at + 3 <= s.Length && s[at] is >= '0' and <= '7' && s[at + 1] is >= '0' and <= '7' && s[at + 2] is >= '0' and <= '7';
}
