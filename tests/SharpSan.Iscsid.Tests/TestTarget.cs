using SharpSan.Config;

namespace SharpSan.Iscsid.Tests;

/// <summary>The shared <see cref="TargetHarness"/> as these tests start it: target <see cref="Name"/> with
/// LUN 0 on an 8 MiB ramdisk, logged in to as <see cref="Initiator"/>.</summary>
internal static class TestTarget
{
    public const string Name = "iqn.2025-01.org.sharpsan:iscsid-t1";
    public const string Initiator = "iqn.2025-01.org.sharpsan:iscsid-test";

    public static readonly TargetSetup Setup = new()
    {
        TargetName = Name, InitiatorName = Initiator, Size = 8 << 20, Wwn = "6a0b1c2d-0000-4000-8000-0000000000d1",
    };

    public static Task<TargetHarness> StartAsync(Action<SanConfig>? configure = null)
        => TargetHarness.StartAsync(configure ?? (_ => { }), setup: Setup);

    /// <summary>An ACL for <see cref="Initiator"/> that requires CHAP with these credentials.</summary>
    public static Action<SanConfig> AclWithChap(string user, string secret) => TargetHarness.AclWithChap(user, secret, initiator: Initiator);
}
