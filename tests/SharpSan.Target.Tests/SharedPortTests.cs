using SharpSan.Config;
using static SharpSan.Target.Tests.TestInitiator;

namespace SharpSan.Target.Tests;

/// <summary>
/// targetcli puts its targets on [::0]:3260 and tgt on 0.0.0.0:3260: both on one port must work,
/// at start and when one side comes or goes by a live change (one dual-stack socket serves both).
/// </summary>
public sealed class SharedPortTests
{
    private const string Lio = "iqn.2026-12.io.sharpsan.test:lio";
    private const string Tgt = "iqn.2026-12.io.sharpsan.test:tgt";

    private static void AddLio(SanConfig cfg, int port) => TargetHarness.AddTarget(cfg, Lio, port, ip: "::0");

    private static void AddTgt(SanConfig cfg, int port)
    {
        var t = TargetHarness.AddTarget(cfg, Tgt, port, ip: "0.0.0.0");
        t.Tgt = new TgtTargetConfig { Tid = 1, ControllerLun = false };
        t.Tgt.InitiatorAddresses.Add("ALL");
    }

    private static void AssertBothServed(TargetHarness h, int port, bool lio = true, bool tgt = true)
    {
        foreach (var (name, expected) in new[] { (Lio, lio), (Tgt, tgt) })
        {
            using var c = h.Connect(port);
            Assert.Equal(expected ? 0 : 0x0201, c.Login(DefaultInitiator, name, digests: false));
        }
    }

    private static SanConfig Copy(SanConfig c) => SaveConfigReader.Parse(SaveConfigWriter.Serialize(c));

    [Fact]
    public async Task DualStackAndIpv4Wildcards_OnOnePort_ServeBothTargets()
    {
        int port = TargetHarness.FreePort("0.0.0.0");
        await using var h = await TestTarget.StartAsync((cfg, _) => { AddLio(cfg, port); AddTgt(cfg, port); });
        AssertBothServed(h, port);
    }

    [Fact]
    public async Task A_dual_stack_portal_added_live_takes_over_the_ipv4_wildcard_and_gives_it_back()
    {
        int port = TargetHarness.FreePort("0.0.0.0");
        await using var h = await TestTarget.StartAsync((cfg, _) => AddTgt(cfg, port));
        AssertBothServed(h, port, lio: false);

        var both = Copy(h.Server.Config);
        AddLio(both, port);
        await h.Server.ApplyAsync(both);
        AssertBothServed(h, port);

        var tgtOnly = Copy(h.Server.Config);
        tgtOnly.Targets.RemoveAll(t => t.Wwn == Lio);
        await h.Server.ApplyAsync(tgtOnly);
        AssertBothServed(h, port, lio: false);
    }
}
