using System.Runtime.InteropServices;

namespace SharpSan.Testing;

/// <summary>
/// What a test needs from the machine. Each check returns null when the need is met, else the reason
/// to give when skipping. A skip is always reported as one: by a fact attribute (<see cref="TgtFactAttribute"/>,
/// <see cref="FuseFactAttribute"/>...) before the test runs, or by <see cref="SkipUnlessMet"/> inside it,
/// never by printing a reason and returning green.
/// </summary>
public static class Requirement
{
    /// <summary>Skips the calling test (xunit's <see cref="Assert.Skip"/>: reported as skipped, with the
    /// reason) unless <paramref name="reason"/> is null. Chain checks with ??: the first unmet one wins.</summary>
    public static void SkipUnlessMet(string? reason)
    {
        if (reason is not null) Assert.Skip(reason);
    }

    public static bool IsRoot => OperatingSystem.IsLinux() && geteuid() == 0;

    /// <summary>Root (effective user id 0); <paramref name="reason"/> says what for.</summary>
    public static string? Root(string reason = "needs root") => IsRoot ? null : reason;

    public static string? Linux(string reason) => OperatingSystem.IsLinux() ? null : reason;

    /// <summary>Set to anything, the variable turns the tests that check it off.</summary>
    public static string? NotDisabledBy(string variable)
        => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } ? $"{variable} is set" : null;

    /// <summary>/dev/fuse exists.</summary>
    public static string? DevFuse(string reason = "/dev/fuse is missing (no fuse module or not passed into the container)")
        => File.Exists("/dev/fuse") ? null : reason;

    /// <summary>The kernel has the fuse file system.</summary>
    public static string? FuseFileSystem()
        => File.ReadAllText("/proc/filesystems").Contains("\tfuse\n") ? null : "the kernel has no fuse file system";

    /// <summary>Loop devices can be attached (/dev/loop-control).</summary>
    public static string? LoopDevices(string reason = "/dev/loop-control is missing (no loop driver)")
        => File.Exists("/dev/loop-control") ? null : reason;

    /// <summary>Every one of <paramref name="names"/> is on PATH.</summary>
    public static string? Tools(params string[] names)
    {
        var missing = names.Where(n => !Tool.Exists(n)).ToList();
        return missing.Count == 0 ? null : $"{string.Join(", ", missing)} not installed";
    }

    /// <summary>tgtd, the reference target, is installed (Linux only).</summary>
    public static string? Tgtd()
    {
        if (TgtdProcess.Path is null) return "tgtd is not installed (Debian package tgt; ./test.sh installs it)";
        if (!OperatingSystem.IsLinux()) return "tgtd needs Linux";
        return null;
    }

    /// <summary>./build.sh has put every one of <paramref name="executables"/> in out/bin.</summary>
    public static string? BuiltExecutables(params string[] executables)
    {
        var missing = executables.Where(e => OutBin.Path(e) is null).ToList();
        return missing.Count == 0 ? null : $"out/bin/{string.Join(", out/bin/", missing)} not built (run ./build.sh)";
    }

    /// <summary>A readable Linux block device with a non-zero size: returns null and the device when one
    /// is found, else the reason none can be used.</summary>
    public static string? BlockDevice(out string device, out ulong sizeBytes)
    {
        device = "";
        sizeBytes = 0;
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/sys/block"))
        {
            return "no Linux /sys/block: block device tests need Linux";
        }

        foreach (string entry in Directory.GetDirectories("/sys/block"))
        {
            string name = Path.GetFileName(entry);
            string path = "/dev/" + name;
            if (!File.Exists(path) || !ulong.TryParse(File.ReadAllText(Path.Combine(entry, "size")).Trim(), out ulong sectors) || sectors == 0)
            {
                continue;
            }

            try
            {
                using var probe = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                continue;
            }

            device = path;
            sizeBytes = sectors * 512;
            return null;
        }

        return "no readable block device with a non-zero size (needs root or the disk group)";
    }

    [DllImport("libc")]
    private static extern uint geteuid();
}
