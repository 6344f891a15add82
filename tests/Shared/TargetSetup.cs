namespace SharpSan.Testing;

/// <summary>
/// The target <see cref="TargetHarness"/> starts: one target (TPG 1, demo mode, writable) on one loopback
/// portal, with LUN 0 on a ramdisk, or on a file when <see cref="File"/> is set (data then survives a
/// restart). Each test project names its own target and initiator.
/// </summary>
public sealed record TargetSetup
{
    public const string DefaultTargetName = "iqn.2025-01.org.sharpsan:t1";
    public const string DefaultInitiatorName = "iqn.2025-01.org.sharpsan:init-test";

    public string TargetName { get; init; } = DefaultTargetName;

    /// <summary>The initiator the harness logs in as, and the one its CHAP ACL helpers name.</summary>
    public string InitiatorName { get; init; } = DefaultInitiatorName;

    /// <summary>LUN 0's size in bytes.</summary>
    public ulong Size { get; init; } = 16 << 20;

    /// <summary>A fileio backstore on this file instead of a ramdisk.</summary>
    public string? File { get; init; }

    /// <summary>The storage object's name (its path is /backstores/ramdisk/NAME or /backstores/fileio/NAME).</summary>
    public string StorageName { get; init; } = "rd1";

    public string Wwn { get; init; } = "6a0b1c2d-0000-4000-8000-000000000001";
}
