using System.Buffers.Binary;

namespace SharpSan.Scsi.Tests.Alua;

/// <summary>REPORT TARGET PORT GROUPS (SPC-4 6.35), INQUIRY TPGS and the VPD 83h group designator.</summary>
public class ReportTargetPortGroupsTests
{
    [Fact]
    public void An_unconfigured_unit_reports_the_default_group_with_the_addressed_port()
    {
        Result result = new Harness().Run(AluaFixture.Rtpg(allocation: 1));
        Assert.Equal(new byte[] { 0 }, result.Data); // RETURN DATA LENGTH's first byte only

        result = new Harness().Run(AluaFixture.Rtpg());
        result.AssertGood();
        Assert.Equal(16, result.Data.Length);
        Assert.Equal(12u, BinaryPrimitives.ReadUInt32BigEndian(result.Data));
        var group = Assert.Single(AluaFixture.Decode(result.Data));
        Assert.Equal(AsymmetricAccessState.ActiveOptimized, group.State);
        Assert.False(group.Pref);
        Assert.Equal(0xCF, group.Supported); // T, O, U, S, AN, AO: LIO's default, no LBD
        Assert.Equal(0, group.Id);
        Assert.Equal(0, group.Status);
        Assert.Equal(new ushort[] { 1 }, group.Ports);
    }

    [Fact]
    public void Groups_with_member_ports_are_reported_with_state_pref_and_ports()
    {
        var f = new AluaFixture();
        Result result = f.Harness.Run(AluaFixture.Rtpg());
        result.AssertGood();
        var groups = AluaFixture.Decode(result.Data);
        Assert.Equal(2, groups.Count); // default_tg_pt_gp has no port: left out, as LIO does
        Assert.Equal((AsymmetricAccessState.ActiveOptimized, true, (ushort)1), (groups[0].State, groups[0].Pref, groups[0].Id));
        Assert.Equal(new ushort[] { 1 }, groups[0].Ports);
        Assert.Equal((AsymmetricAccessState.Standby, false, (ushort)2), (groups[1].State, groups[1].Pref, groups[1].Id));
        Assert.Equal(new ushort[] { 2 }, groups[1].Ports);

        // The same answer through the other port: the report is the unit's, not the port's.
        Assert.Equal(result.Data, f.Harness.Run(AluaFixture.Rtpg(), nexus: AluaFixture.NexusC).Data);
    }

    [Fact]
    public void The_extended_header_carries_the_implicit_transition_time()
    {
        var harness = new Harness();
        harness.Unit.Alua.Configure([TargetPortGroupSettings.Default with { ImplicitTransitionSeconds = 300 }], new Dictionary<ushort, string> { [1] = "default_tg_pt_gp" });
        Result result = harness.Run(AluaFixture.Rtpg(extended: true));
        result.AssertGood();
        Assert.Equal(20, result.Data.Length);
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32BigEndian(result.Data));
        Assert.Equal(0x10, result.Data[4]); // FORMAT TYPE 001b
        Assert.Equal(255, result.Data[5]);  // capped
        Assert.Single(AluaFixture.Decode(result.Data, extended: true));
    }

    [Fact]
    public void A_short_allocation_length_truncates_but_keeps_the_full_return_data_length()
    {
        var f = new AluaFixture();
        Result result = f.Harness.Run(AluaFixture.Rtpg(allocation: 4));
        result.AssertGood();
        Assert.Equal(4, result.Data.Length);
        Assert.Equal(24u, BinaryPrimitives.ReadUInt32BigEndian(result.Data));
    }

    [Fact]
    public void An_undefined_parameter_data_format_is_an_invalid_field()
    {
        Result result = new Harness().Run(Harness.Cdb(0xA3, 0x4A, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((1, 7), (result.FieldByte, result.FieldBit));
    }

    [Theory]
    [InlineData(AluaAccessType.None, 0x00)]
    [InlineData(AluaAccessType.Implicit, 0x10)]
    [InlineData(AluaAccessType.Explicit, 0x20)]
    [InlineData(AluaAccessType.ImplicitAndExplicit, 0x30)]
    public void Inquiry_tpgs_is_the_access_type_of_the_addressed_ports_group(AluaAccessType type, int tpgs)
    {
        var f = new AluaFixture(type);
        Result result = f.Harness.Run(Harness.Cdb(0x12, 0, 0, 0, 96, 0));
        result.AssertGood();
        Assert.Equal(tpgs, result.Data[5] & 0x30);
    }

    [Fact]
    public void Vpd_83_names_the_relative_port_and_its_group()
    {
        var f = new AluaFixture();
        byte[] d = f.Harness.Run(Harness.Cdb(0x12, 1, 0x83, 2, 0, 0), nexus: AluaFixture.NexusC).Data;
        int offset = 28 + d[27];
        Assert.Equal(new byte[] { 0x51, 0x94, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02 }, d[offset..(offset + 8)]);
        Assert.Equal(new byte[] { 0x51, 0x95, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02 }, d[(offset + 8)..(offset + 16)]);
    }
}
