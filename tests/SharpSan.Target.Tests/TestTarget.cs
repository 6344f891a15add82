using SharpSan.Config;

namespace SharpSan.Target.Tests;

/// <summary>The shared <see cref="TargetHarness"/> as these tests start it (target
/// <see cref="TargetHarness.Target1"/> with LUN 0 on a 4 MiB ramdisk "rd1"), and the raw
/// <see cref="TestInitiator"/> connected to it.</summary>
internal static class TestTarget
{
    public static readonly TargetSetup Setup = new() { Size = 4 << 20 };

    public static Task<TargetHarness> StartAsync(Action<SanConfig, int>? configure = null, TargetOptions? options = null)
        => TargetHarness.StartAsync(configure, options, Setup);

    public static Task<TargetHarness> StartAsync(Action<SanConfig> configure, TargetOptions? options = null)
        => TargetHarness.StartAsync(configure, options, Setup);

    public static TestInitiator Connect(this TargetHarness h, int? port = null, int receiveTimeoutMs = 15000)
        => new(port ?? h.Port, receiveTimeoutMs: receiveTimeoutMs);

    /// <summary>Connects and logs in to <see cref="TargetHarness.Target1"/> in one PDU; asserts success.</summary>
    public static TestInitiator LoginNormal(this TargetHarness h, string initiator = TestInitiator.DefaultInitiator, ulong isid = 0x800000001234, params string[] operational)
    {
        var c = h.Connect();
        c.Isid = isid;
        var rsp = c.LoginNormal(TargetHarness.Target1, initiator, operational);
        Assert.Equal(0, rsp.LoginStatus);
        Assert.True(rsp.Transit);
        Assert.Equal(3, rsp.NextStage);
        return c;
    }
}
