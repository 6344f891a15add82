namespace SharpSan.Scsi.Tests.Alua;

/// <summary>SET TARGET PORT GROUPS (SPC-4 6.38): explicit state changes and their refusals.</summary>
public class SetTargetPortGroupsTests
{
    private static readonly byte[] Tur = Harness.Cdb(0x00, 0, 0, 0, 0, 0);

    [Fact]
    public void Explicit_change_moves_groups_sets_status_and_tells_the_other_nexuses()
    {
        var f = new AluaFixture();
        f.Harness.Run(Tur, nexus: Harness.NexusA);
        f.Harness.Run(Tur, nexus: Harness.NexusB);
        f.Harness.Run(Tur, nexus: AluaFixture.NexusC).AssertSense(SenseKey.NotReady, 0x04, 0x0B);

        f.SetStates(Harness.NexusA, (AsymmetricAccessState.Standby, 1), (AsymmetricAccessState.ActiveOptimized, 2)).AssertGood();

        var groups = AluaFixture.Decode(f.Harness.Run(AluaFixture.Rtpg()).Data);
        Assert.Equal((AsymmetricAccessState.Standby, (byte)1), (groups[0].State, groups[0].Status));
        Assert.Equal((AsymmetricAccessState.ActiveOptimized, (byte)1), (groups[1].State, groups[1].Status));
        f.Harness.Run(Tur, nexus: Harness.NexusA).AssertSense(SenseKey.NotReady, 0x04, 0x0B); // no UA for the requester
        f.Harness.Run(Tur, nexus: Harness.NexusB).AssertSense(SenseKey.UnitAttention, 0x2A, 0x06);
        f.Harness.Run(Tur, nexus: AluaFixture.NexusC).AssertSense(SenseKey.UnitAttention, 0x2A, 0x06);
        f.Harness.Run(Tur, nexus: AluaFixture.NexusC).AssertGood();
    }

    [Fact]
    public void An_implicit_only_group_does_not_support_the_command()
    {
        var f = new AluaFixture(AluaAccessType.Implicit);
        Result result = f.SetStates(Harness.NexusA, (AsymmetricAccessState.Standby, 1));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((1, 4), (result.FieldByte, result.FieldBit));
        Assert.False(result.Prepared);
    }

    [Fact]
    public void Unknown_or_repeated_groups_are_invalid_and_change_nothing()
    {
        var f = new AluaFixture();
        Result result = f.SetStates(Harness.NexusA, (AsymmetricAccessState.ActiveOptimized, 2), (AsymmetricAccessState.Standby, 9));
        result.AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.False(result.CommandData);
        Assert.Equal(10, result.FieldByte);

        result = f.SetStates(Harness.NexusA, (AsymmetricAccessState.ActiveOptimized, 2), (AsymmetricAccessState.Standby, 2));
        result.AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.Equal(AsymmetricAccessState.Standby, f.Unit.Alua.Current.Single(g => g.Name == "right").State);
        Assert.Equal(AluaStatus.None, f.Unit.Alua.Current.Single(g => g.Name == "right").Status);
    }

    [Theory]
    [InlineData(AsymmetricAccessState.Transitioning)]
    [InlineData(AsymmetricAccessState.LbaDependent)]
    [InlineData(AsymmetricAccessState.Offline)]
    [InlineData((AsymmetricAccessState)7)]
    public void States_that_cannot_be_requested_are_invalid_fields(AsymmetricAccessState state)
    {
        var f = new AluaFixture();
        Result result = f.SetStates(Harness.NexusA, (state, 2));
        result.AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.Equal((4, 3), (result.FieldByte, result.FieldBit));
    }

    [Fact]
    public void A_state_the_group_does_not_support_is_an_invalid_field()
    {
        var harness = new Harness();
        harness.Unit.Alua.Configure([TargetPortGroupSettings.Default with { Supported = SupportedAccessStates.ActiveOptimized }], new Dictionary<ushort, string>());
        byte[] list = AluaFixture.StpgList((AsymmetricAccessState.Standby, 0));
        harness.Run(AluaFixture.Stpg(list.Length), list).AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        harness.Run(Tur).AssertGood();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    public void A_parameter_list_that_is_not_whole_descriptors_is_a_length_error(int length)
    {
        var f = new AluaFixture();
        f.Harness.Run(AluaFixture.Stpg(length), new byte[length]).AssertSense(SenseKey.IllegalRequest, 0x1A, 0x00);
    }

    [Fact]
    public void An_empty_parameter_list_changes_nothing()
    {
        var f = new AluaFixture();
        f.Harness.Run(AluaFixture.Stpg(0)).AssertGood();
        f.Harness.Run(AluaFixture.Stpg(4), new byte[4]).AssertGood();
        Assert.Equal(AsymmetricAccessState.Standby, f.Unit.Alua.Current.Single(g => g.Name == "right").State);
    }

    [Fact]
    public void An_explicit_change_with_a_transition_delay_completes_in_the_new_state()
    {
        var f = new AluaFixture(transitionDelayMs: 30);
        f.Harness.Run(Tur, nexus: AluaFixture.NexusC).AssertSense(SenseKey.NotReady, 0x04, 0x0B);
        f.SetStates(Harness.NexusA, (AsymmetricAccessState.ActiveNonOptimized, 2)).AssertGood();
        Assert.Equal(AsymmetricAccessState.ActiveNonOptimized, f.Unit.Alua.Current.Single(g => g.Name == "right").State);
        f.Harness.Run(Tur, nexus: AluaFixture.NexusC).AssertSense(SenseKey.UnitAttention, 0x2A, 0x06);
        f.Harness.Run(Tur, nexus: AluaFixture.NexusC).AssertGood();
    }
}
