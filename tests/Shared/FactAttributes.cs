using System.Runtime.CompilerServices;

namespace SharpSan.Testing;

// Facts that are reported as skipped, with the reason, when the machine lacks what they need
// (checked once, at discovery; see Requirement).

/// <summary>A fact that runs only when tgtd (the reference target) is installed.</summary>
public sealed class TgtFactAttribute : FactAttribute
{
    public TgtFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        Skip = Requirement.Tgtd();
    }
}

/// <summary>A fact that runs only on Linux as root with /dev/fuse and the kernel's fuse file system (and,
/// when asked, loop devices, and mkfs.ext4, fsck.ext4 and mount); SHARPSAN_SKIP_FUSE turns it off.</summary>
public sealed class FuseFactAttribute : FactAttribute
{
    public FuseFactAttribute(bool needsLoop = false, bool needsExt4 = false,
        [CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        Skip = Requirement.NotDisabledBy("SHARPSAN_SKIP_FUSE") ?? SkipReason(needsLoop);
        if (Skip is null && needsExt4 && Requirement.Tools("mkfs.ext4", "fsck.ext4", "mount") is not null)
            Skip = "mkfs.ext4, fsck.ext4 or mount is not installed (Debian packages e2fsprogs, mount)";
    }

    public static string? SkipReason(bool needsLoop)
        => Requirement.Linux("FUSE and loop devices need Linux")
            ?? Requirement.Root("mounting FUSE and attaching loop devices needs root")
            ?? Requirement.DevFuse()
            ?? Requirement.FuseFileSystem()
            ?? (needsLoop ? Requirement.LoopDevices() : null);
}

/// <summary>A fact that runs only when a readable Linux block device with a non-zero size exists.</summary>
public sealed class BlockDeviceFactAttribute : FactAttribute
{
    public BlockDeviceFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        Skip = Requirement.BlockDevice(out _, out _);
    }
}

/// <summary>A fact that runs only on Linux once ./build.sh has put the named executables (one or two)
/// in out/bin.</summary>
public sealed class BinaryFactAttribute : FactAttribute
{
    public BinaryFactAttribute(string executable, string? otherExecutable = null,
        [CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        string[] executables = otherExecutable is null ? [executable] : [executable, otherExecutable];
        Skip = Requirement.Linux("iscsid runs on Linux") ?? Requirement.BuiltExecutables(executables);
    }
}
