using System.Runtime.InteropServices;

namespace SharpSan.Initiator.Fuse.Tests;

/// <summary>A fact that is skipped, with the reason, unless this is Linux, root, with /dev/fuse
/// (and, when asked, loop devices).</summary>
public sealed class FuseFactAttribute : FactAttribute
{
    public FuseFactAttribute(bool needsLoop = false, bool needsExt4 = false)
    {
        if (Environment.GetEnvironmentVariable("SHARPSAN_SKIP_FUSE") is { Length: > 0 }) Skip = "SHARPSAN_SKIP_FUSE is set";
        else if (SkipReason(needsLoop) is { } reason) Skip = reason;
        else if (needsExt4 && !(Tool.Exists("mkfs.ext4") && Tool.Exists("fsck.ext4") && Tool.Exists("mount")))
            Skip = "mkfs.ext4, fsck.ext4 or mount is not installed (Debian packages e2fsprogs, mount)";
    }

    public static string? SkipReason(bool needsLoop)
    {
        if (!OperatingSystem.IsLinux()) return "FUSE and loop devices need Linux";
        if (geteuid() != 0) return "mounting FUSE and attaching loop devices needs root";
        if (!File.Exists("/dev/fuse")) return "/dev/fuse is missing (no fuse module or not passed into the container)";
        if (!File.ReadAllText("/proc/filesystems").Contains("\tfuse\n")) return "the kernel has no fuse file system";
        if (needsLoop && !File.Exists("/dev/loop-control")) return "/dev/loop-control is missing (no loop driver)";
        return null;
    }

    [DllImport("libc")]
    private static extern uint geteuid();
}
