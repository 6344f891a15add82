namespace SharpSan.Scsi.Tests.Alua;

/// <summary>Commands served and refused per asymmetric access state (SPC-4 5.15.2.4).</summary>
public class AluaStateTests
{
    private static readonly byte[] Tur = Harness.Cdb(0x00, 0, 0, 0, 0, 0);
    private static readonly byte[] Inquiry = Harness.Cdb(0x12, 0, 0, 0, 96, 0);
    private static readonly byte[] ReportLuns = Harness.Cdb(0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0);
    private static readonly byte[] RequestSense = Harness.Cdb(0x03, 0, 0, 0, 18, 0);
    private static readonly byte[] ModeSense = Harness.Cdb(0x1A, 0, 0x3F, 0, 255, 0);
    private static readonly byte[] ReadCapacity10 = Harness.Cdb(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    private static readonly byte[] ReadCapacity16 = Harness.Cdb(0x9E, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0);

    private static Harness In(AsymmetricAccessState state)
    {
        var harness = new Harness();
        harness.Unit.Alua.Configure([TargetPortGroupSettings.Default with { State = state }], new Dictionary<ushort, string> { [1] = "default_tg_pt_gp" });
        return harness;
    }

    [Fact]
    public void Active_states_serve_everything()
    {
        foreach (var state in new[] { AsymmetricAccessState.ActiveOptimized, AsymmetricAccessState.ActiveNonOptimized })
        {
            Harness harness = In(state);
            Assert.False(harness.Unit.Alua.Restricted);
            harness.Run(Tur).AssertGood();
            harness.Run(Harness.Write10(0, 1), new byte[512]).AssertGood();
            harness.Run(Harness.Read10(0, 1)).AssertGood();
        }
    }

    [Fact]
    public void Standby_serves_only_the_standby_list()
    {
        Harness harness = In(AsymmetricAccessState.Standby);
        Assert.True(harness.Unit.Alua.Restricted);
        foreach (byte[] cdb in new[] { Inquiry, ReportLuns, RequestSense, ModeSense, ReadCapacity10, ReadCapacity16, AluaFixture.Rtpg() })
        {
            harness.Run(cdb).AssertGood();
        }

        harness.Run(AluaFixture.Stpg(0)).AssertGood();
        harness.Run(Tur).AssertSense(SenseKey.NotReady, 0x04, 0x0B);
        harness.Run(Harness.Read10(0, 1)).AssertSense(SenseKey.NotReady, 0x04, 0x0B);
        harness.Run(Harness.Write10(0, 1), new byte[512]).AssertSense(SenseKey.NotReady, 0x04, 0x0B);
    }

    [Fact]
    public void Unavailable_serves_inventory_and_the_group_commands()
    {
        Harness harness = In(AsymmetricAccessState.Unavailable);
        foreach (byte[] cdb in new[] { Inquiry, ReportLuns, RequestSense, AluaFixture.Rtpg() })
        {
            harness.Run(cdb).AssertGood();
        }

        harness.Run(AluaFixture.Stpg(0)).AssertGood();
        harness.Run(ModeSense).AssertSense(SenseKey.NotReady, 0x04, 0x0C);
        harness.Run(ReadCapacity10).AssertSense(SenseKey.NotReady, 0x04, 0x0C);
        harness.Run(Harness.Read10(0, 1)).AssertSense(SenseKey.NotReady, 0x04, 0x0C);
    }

    [Fact]
    public void Offline_serves_inventory_only()
    {
        Harness harness = In(AsymmetricAccessState.Offline);
        foreach (byte[] cdb in new[] { Inquiry, ReportLuns, RequestSense })
        {
            harness.Run(cdb).AssertGood();
        }

        harness.Run(AluaFixture.Rtpg()).AssertSense(SenseKey.NotReady, 0x04, 0x12);
        harness.Run(Tur).AssertSense(SenseKey.NotReady, 0x04, 0x12);
    }

    [Fact]
    public void Transitioning_serves_inventory_and_the_report_only()
    {
        var f = new AluaFixture(transitionDelayMs: 60_000);
        // An implicit change (the administrator's) with a transition delay passes through Transitioning.
        f.Unit.Alua.Configure([TargetPortGroupSettings.Default, f.Left, f.Right with { State = AsymmetricAccessState.ActiveOptimized }],
            new Dictionary<ushort, string> { [1] = "left", [2] = "right" });
        ItNexus c = AluaFixture.NexusC;
        f.Harness.Run(Inquiry, nexus: c).AssertGood();
        f.Harness.Run(AluaFixture.Rtpg(), nexus: c).AssertGood();
        f.Harness.Run(Tur, nexus: c).AssertSense(SenseKey.NotReady, 0x04, 0x0A);
        f.Harness.Run(AluaFixture.Stpg(0), nexus: c).AssertSense(SenseKey.NotReady, 0x04, 0x0A);
        f.Harness.Run(Tur).AssertGood(); // port 1's group did not change
    }

    [Fact]
    public void A_transition_ends_in_the_new_state_after_its_delay()
    {
        var f = new AluaFixture(transitionDelayMs: 50);
        f.Harness.Run(Inquiry, nexus: AluaFixture.NexusC).AssertGood();
        f.Unit.Alua.Configure([TargetPortGroupSettings.Default, f.Left, f.Right with { State = AsymmetricAccessState.ActiveOptimized }],
            new Dictionary<ushort, string> { [1] = "left", [2] = "right" });
        Assert.Equal(AsymmetricAccessState.Transitioning, f.Unit.Alua.Current.Single(g => g.Name == "right").State);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (f.Unit.Alua.Current.Single(g => g.Name == "right").State != AsymmetricAccessState.ActiveOptimized && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(10);
        }

        Assert.Equal(AsymmetricAccessState.ActiveOptimized, f.Unit.Alua.Current.Single(g => g.Name == "right").State);
        Assert.False(f.Unit.Alua.Restricted);
        f.Harness.Run(Tur, nexus: AluaFixture.NexusC).AssertSense(SenseKey.UnitAttention, 0x2A, 0x06);
        f.Harness.Run(Tur, nexus: AluaFixture.NexusC).AssertGood();
    }

    [Fact]
    public void An_administrative_change_raises_the_unit_attention_on_every_nexus_and_a_repeat_none()
    {
        var f = new AluaFixture();
        f.Harness.Run(Inquiry, nexus: Harness.NexusA);
        f.Harness.Run(Inquiry, nexus: AluaFixture.NexusC);
        var ports = new Dictionary<ushort, string> { [1] = "left", [2] = "right" };
        f.Unit.Alua.Configure([TargetPortGroupSettings.Default, f.Left, f.Right], ports);
        f.Harness.Run(Tur, nexus: Harness.NexusA).AssertGood();

        f.Unit.Alua.Configure([TargetPortGroupSettings.Default, f.Left with { State = AsymmetricAccessState.ActiveNonOptimized }, f.Right], ports);
        f.Harness.Run(Tur, nexus: Harness.NexusA).AssertSense(SenseKey.UnitAttention, 0x2A, 0x06);
        f.Harness.Run(Inquiry, nexus: AluaFixture.NexusC).AssertGood(); // INQUIRY leaves it pending
        f.Harness.Run(ReportLuns, nexus: AluaFixture.NexusC).AssertGood();
        f.Harness.Run(ModeSense, nexus: AluaFixture.NexusC).AssertSense(SenseKey.UnitAttention, 0x2A, 0x06);
        Assert.Equal(AluaStatus.None, f.Unit.Alua.Current.Single(g => g.Name == "left").Status);
    }

    [Fact]
    public void Moving_a_port_to_another_group_changes_its_state()
    {
        var f = new AluaFixture();
        f.Harness.Run(Tur).AssertGood();
        f.Unit.Alua.Configure([TargetPortGroupSettings.Default, f.Left, f.Right], new Dictionary<ushort, string> { [1] = "right", [2] = "right" });
        Assert.Equal("right", f.Unit.Alua.GroupNameOf(1));
        f.Harness.Run(Tur).AssertSense(SenseKey.UnitAttention, 0x2A, 0x06);
        f.Harness.Run(Tur).AssertSense(SenseKey.NotReady, 0x04, 0x0B);
    }

    [Fact]
    public void Exporting_the_unit_through_another_port_changes_no_path_and_raises_nothing()
    {
        var f = new AluaFixture();
        f.Harness.Run(Tur).AssertGood();
        f.Unit.Alua.Configure([TargetPortGroupSettings.Default, f.Left, f.Right], new Dictionary<ushort, string> { [1] = "left", [2] = "right", [7] = "right" });
        f.Harness.Run(Tur).AssertGood();
        Assert.Equal(new ushort[] { 2, 7 }, AluaFixture.Decode(f.Harness.Run(AluaFixture.Rtpg()).Data)[1].Ports);
    }

    [Theory]
    [InlineData(AsymmetricAccessState.LbaDependent)]
    [InlineData((AsymmetricAccessState)5)]
    public void Configure_refuses_states_this_device_server_does_not_support(AsymmetricAccessState state)
    {
        var harness = new Harness();
        Assert.Throws<ArgumentException>(() => harness.Unit.Alua.Configure([TargetPortGroupSettings.Default with { State = state }], new Dictionary<ushort, string>()));
        Assert.Throws<ArgumentException>(() => harness.Unit.Alua.Configure(
            [TargetPortGroupSettings.Default with { State = AsymmetricAccessState.Standby, Supported = SupportedAccessStates.ActiveOptimized }], new Dictionary<ushort, string>()));
        Assert.Throws<ArgumentException>(() => harness.Unit.Alua.Configure(
            [TargetPortGroupSettings.Default, new TargetPortGroupSettings { Name = "x", Id = 0 }], new Dictionary<ushort, string>()));
    }
}
