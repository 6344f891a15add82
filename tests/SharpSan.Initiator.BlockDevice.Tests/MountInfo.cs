namespace SharpSan.Initiator.Fuse.Tests;

internal static class MountInfo
{
    /// <summary>Mount points from /proc/self/mountinfo (octal escapes decoded).</summary>
    public static IEnumerable<string> MountPoints()
        => File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).Select(Unescape);

    private static string Unescape(string s) => s.Replace("\\040", " ").Replace("\\011", "\t").Replace("\\012", "\n").Replace("\\134", "\\");
}
