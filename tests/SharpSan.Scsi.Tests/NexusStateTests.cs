namespace SharpSan.Scsi.Tests;

/// <summary>Unit attentions (SAM-5 5.14) and RESERVE/RELEASE (SPC-2 5.5.1).</summary>
public class NexusStateTests
{
    private static readonly byte[] Tur = Harness.Cdb(0x00, 0, 0, 0, 0, 0);
    private static readonly byte[] Reserve6 = Harness.Cdb(0x16, 0, 0, 0, 0, 0);
    private static readonly byte[] Release6 = Harness.Cdb(0x17, 0, 0, 0, 0, 0);
    private static readonly byte[] Reserve10 = Harness.Cdb(0x56, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    private static readonly byte[] Release10 = Harness.Cdb(0x57, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    private static readonly byte[] Inquiry = Harness.Cdb(0x12, 0, 0, 0, 96, 0);
    private static readonly byte[] ModeSense = Harness.Cdb(0x1A, 0, 0x3F, 0, 255, 0);

    [Fact]
    public void Lun_reset_raises_a_unit_attention_for_other_nexuses_reported_once()
    {
        var harness = new Harness();
        harness.Run(Tur, nexus: Harness.NexusA).AssertGood();
        harness.Run(Tur, nexus: Harness.NexusB).AssertGood();

        harness.Unit.Reset(Harness.NexusA);

        harness.Run(Tur, nexus: Harness.NexusA).AssertGood();
        harness.Run(Inquiry, nexus: Harness.NexusB).AssertGood();                  // allowed, UA stays
        Result ua = harness.Run(Harness.Read10(0, 1), nexus: Harness.NexusB);
        Assert.False(ua.Prepared);
        ua.AssertSense(SenseKey.UnitAttention, 0x29, 0x03);
        harness.Run(Harness.Read10(0, 1), nexus: Harness.NexusB).AssertGood();     // consumed
    }

    [Fact]
    public void Reset_without_requester_reaches_every_nexus_but_not_new_ones()
    {
        var harness = new Harness();
        harness.Run(Tur, nexus: Harness.NexusA).AssertGood();
        harness.Unit.Reset(null);
        harness.Run(Tur, nexus: Harness.NexusA).AssertSense(SenseKey.UnitAttention, 0x29, 0x03);
        harness.Run(Tur, nexus: Harness.NexusB).AssertGood();
    }

    [Fact]
    public void Request_sense_returns_the_pending_unit_attention_as_data()
    {
        var harness = new Harness();
        harness.Run(Tur, nexus: Harness.NexusB).AssertGood();
        harness.Unit.Reset(Harness.NexusA);

        Result sense = harness.Run(Harness.Cdb(0x03, 0, 0, 0, 252, 0), nexus: Harness.NexusB);
        sense.AssertGood();
        Assert.Equal(0x70, sense.Data[0]);
        Assert.Equal((byte)SenseKey.UnitAttention, sense.Data[2]);
        Assert.Equal(0x29, sense.Data[12]);
        Assert.Equal(0x03, sense.Data[13]);

        Result none = harness.Run(Harness.Cdb(0x03, 1, 0, 0, 252, 0), nexus: Harness.NexusB); // DESC=1
        none.AssertGood();
        Assert.Equal(0x72, none.Data[0]);
        Assert.Equal(0, none.Data[1]);
        harness.Run(Tur, nexus: Harness.NexusB).AssertGood();
    }

    [Fact]
    public void Request_sense_to_an_unmapped_lun_reports_logical_unit_not_supported()
    {
        Result result = new Harness().Run(Harness.Cdb(0x03, 0, 0, 0, 18, 0), lun: 4);
        result.AssertGood();
        Assert.Equal((byte)SenseKey.IllegalRequest, result.Data[2]);
        Assert.Equal(0x25, result.Data[12]);
    }

    [Fact]
    public void Reservation_blocks_other_nexuses_until_released()
    {
        var harness = new Harness();
        harness.Run(Reserve6, nexus: Harness.NexusA).AssertGood();
        harness.Run(Reserve6, nexus: Harness.NexusA).AssertGood();                 // holder may re-reserve

        Assert.Equal(ScsiStatus.ReservationConflict, harness.Run(Reserve6, nexus: Harness.NexusB).Status);
        Assert.Equal(ScsiStatus.ReservationConflict, harness.Run(ModeSense, nexus: Harness.NexusB).Status);
        Assert.Equal(ScsiStatus.ReservationConflict, harness.Run(Harness.Read10(0, 1), nexus: Harness.NexusB).Status);
        Assert.Equal(ScsiStatus.ReservationConflict, harness.Run(Tur, nexus: Harness.NexusB).Status);
        Result conflict = harness.Run(Harness.Write10(0, 1), new byte[512], nexus: Harness.NexusB);
        Assert.False(conflict.Prepared);
        Assert.Empty(conflict.Sense);

        harness.Run(Inquiry, nexus: Harness.NexusB).AssertGood();
        harness.Run(Harness.Cdb(0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0), nexus: Harness.NexusB).AssertGood();
        harness.Run(Release6, nexus: Harness.NexusB).AssertGood();                 // no-op
        Assert.Equal(ScsiStatus.ReservationConflict, harness.Run(Reserve10, nexus: Harness.NexusB).Status);

        harness.Run(ModeSense, nexus: Harness.NexusA).AssertGood();
        harness.Run(Release10, nexus: Harness.NexusA).AssertGood();
        harness.Run(Reserve10, nexus: Harness.NexusB).AssertGood();
        Assert.Equal(ScsiStatus.ReservationConflict, harness.Run(Tur, nexus: Harness.NexusA).Status);
    }

    [Fact]
    public void Reservation_is_keyed_by_nexus_identity_not_object()
    {
        var harness = new Harness();
        var sameAsA = new ItNexus(Harness.NexusA.InitiatorPortName, Harness.NexusA.TargetPortName, Harness.NexusA.RelativeTargetPortId, Harness.Transport);
        harness.Run(Reserve6, nexus: Harness.NexusA).AssertGood();
        harness.Run(Tur, nexus: sameAsA).AssertGood();
    }

    [Fact]
    public void Nexus_loss_and_lun_reset_release_the_reservation()
    {
        var harness = new Harness();
        harness.Run(Reserve6, nexus: Harness.NexusA).AssertGood();
        harness.Unit.NexusLost(Harness.NexusA);
        Assert.Null(harness.Unit.ReservationHolder);
        harness.Run(Reserve6, nexus: Harness.NexusB).AssertGood();

        harness.Unit.Reset(Harness.NexusA);
        Assert.Null(harness.Unit.ReservationHolder);
        harness.Run(Tur, nexus: Harness.NexusB).AssertSense(SenseKey.UnitAttention, 0x29, 0x03);
        harness.Run(Reserve6, nexus: Harness.NexusA).AssertGood();
    }

    [Fact]
    public void Nexus_loss_forgets_pending_unit_attentions()
    {
        var harness = new Harness();
        harness.Run(Tur, nexus: Harness.NexusB).AssertGood();
        harness.Unit.Reset(null);
        harness.Unit.NexusLost(Harness.NexusB);
        harness.Run(Tur, nexus: Harness.NexusB).AssertGood();
    }

    [Fact]
    public void Fabric_can_finish_a_task_with_its_own_check_condition()
    {
        var task = new ScsiTask();
        task.Fail(SenseReason.DataPhaseError);
        Assert.Equal(ScsiStatus.CheckCondition, task.Status);
        Assert.Equal(18, task.SenseLength);
        Assert.Equal(0x70, task.Sense[0]);
        Assert.Equal((byte)SenseKey.AbortedCommand, task.Sense[2]);
        Assert.Equal(0x4B, task.Sense[12]);
        Assert.Equal(0x00, task.Sense[13]);
    }

    [Fact]
    public void Execute_without_a_successful_prepare_is_a_fabric_bug()
    {
        var harness = new Harness();
        var task = new ScsiTask { Nexus = Harness.NexusA, LunMap = harness.Map, CdbLength = 6 };
        task.CdbBuffer[0] = 0xC1;
        Assert.False(ScsiDispatcher.Prepare(task));
        Assert.Throws<InvalidOperationException>(() => ScsiDispatcher.ExecuteAsync(task, CancellationToken.None));
    }

    [Fact]
    public void Nexus_loss_reports_i_t_nexus_loss_occurred_when_the_nexus_returns_and_forgets_its_state()
    {
        var harness = new Harness();
        harness.Run(Tur, nexus: Harness.NexusA).AssertGood();
        harness.Run(Tur, nexus: Harness.NexusB).AssertGood();
        harness.Unit.Reset(null);                                               // pending 29/03 for both
        harness.Run(Reserve6, nexus: Harness.NexusA).AssertSense(SenseKey.UnitAttention, 0x29, 0x03);
        harness.Run(Reserve6, nexus: Harness.NexusA).AssertGood();

        harness.Unit.NexusLost(Harness.NexusA, reportLoss: true);

        Assert.Null(harness.Unit.ReservationHolder);                            // released
        harness.Run(Tur, nexus: Harness.NexusA).AssertSense(SenseKey.UnitAttention, 0x29, 0x07);
        harness.Run(Tur, nexus: Harness.NexusA).AssertGood();                   // the only one
        harness.Run(Tur, nexus: Harness.NexusB).AssertSense(SenseKey.UnitAttention, 0x29, 0x03); // B untouched
        harness.Run(Tur, nexus: Harness.NexusB).AssertGood();
    }

    [Fact]
    public void Nexus_closed_by_logout_is_forgotten_without_a_unit_attention()
    {
        var harness = new Harness();
        harness.Run(Tur, nexus: Harness.NexusA).AssertGood();
        harness.Unit.Reset(null);
        harness.Unit.NexusLost(Harness.NexusA);
        harness.Run(Tur, nexus: Harness.NexusA).AssertGood();
    }

    [Fact]
    public void Commands_cleared_by_another_initiator_is_reported_to_that_nexus_only()
    {
        var harness = new Harness();
        harness.Run(Tur, nexus: Harness.NexusA).AssertGood();
        harness.Unit.CommandsClearedByAnotherInitiator(Harness.NexusB);
        harness.Run(Tur, nexus: Harness.NexusA).AssertGood();
        harness.Run(Tur, nexus: Harness.NexusB).AssertSense(SenseKey.UnitAttention, 0x2F, 0x00);
        harness.Run(Tur, nexus: Harness.NexusB).AssertGood();
    }
}
