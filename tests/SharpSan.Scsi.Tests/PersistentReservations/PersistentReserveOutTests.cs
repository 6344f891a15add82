using static SharpSan.Scsi.Tests.Harness;

namespace SharpSan.Scsi.Tests.PersistentReservations;

/// <summary>PERSISTENT RESERVE OUT service actions (SPC-4 5.13.7 to 5.13.11, 6.16).</summary>
public sealed class PersistentReserveOutTests
{
    [Fact]
    public void Register_changes_and_removes_a_key_and_bumps_the_generation()
    {
        var h = new Harness();
        AssertKeys(h, 0u, Array.Empty<ulong>());
        h.Out(NexusA, Pr.Register, 0, Pr.List(0, 0x11)).AssertGood();
        AssertKeys(h, 1u, new ulong[] { 0x11 });

        // A registered nexus must name its own key; an unregistered one key zero (SPC-4 5.13.7).
        Assert.Equal(ScsiStatus.ReservationConflict, h.Out(NexusA, Pr.Register, 0, Pr.List(0x12, 0x13)).Status);
        Assert.Equal(ScsiStatus.ReservationConflict, h.Out(NexusB, Pr.Register, 0, Pr.List(0x11, 0x13)).Status);
        h.Out(NexusA, Pr.Register, 0, Pr.List(0x11, 0x22)).AssertGood();
        AssertKeys(h, 2u, new ulong[] { 0x22 });
        h.Out(NexusA, Pr.RegisterAndIgnore, 0, Pr.List(0x999, 0x33)).AssertGood();
        AssertKeys(h, 3u, new ulong[] { 0x33 });
        h.Out(NexusA, Pr.Register, 0, Pr.List(0x33, 0)).AssertGood();
        AssertKeys(h, 4u, Array.Empty<ulong>());
    }

    [Theory]
    [InlineData(Pr.WE, true, false, true, false)]
    [InlineData(Pr.EA, false, false, false, false)]
    [InlineData(Pr.WERO, true, true, true, false)]
    [InlineData(Pr.EARO, true, true, false, false)]
    [InlineData(Pr.WEAR, true, true, true, false)]
    [InlineData(Pr.EAAR, true, true, false, false)]
    public void Each_type_lets_through_what_table_5_6_says(byte type, bool registeredReads, bool registeredWrites, bool unregisteredReads, bool unregisteredWrites)
    {
        var h = new Harness();
        h.RegisterKey(NexusA, 0xA);
        h.RegisterKey(NexusB, 0xB);
        h.ReserveAs(NexusA, 0xA, type);
        Assert.Equal((type is Pr.WEAR or Pr.EAAR ? 0UL : 0xA, type), h.ReadReservation());
        Assert.True(h.Reads(NexusA) && h.Writes(NexusA));
        Assert.Equal((registeredReads, registeredWrites), (h.Reads(NexusB), h.Writes(NexusB)));
        h.Out(NexusB, Pr.Register, 0, Pr.List(0xB, 0)).AssertGood();
        Assert.Equal((unregisteredReads, unregisteredWrites), (h.Reads(NexusB), h.Writes(NexusB)));

        // INQUIRY, TEST UNIT READY, READ CAPACITY and PERSISTENT RESERVE IN pass every type.
        h.Run(Cdb(0x12, 0, 0, 0, 96, 0), nexus: NexusB).AssertGood();
        h.Run(Cdb(0, 0, 0, 0, 0, 0), nexus: NexusB).AssertGood();
        h.Run(Cdb(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0), nexus: NexusB).AssertGood();
        h.Run(Pr.InCdb(0), nexus: NexusB).AssertGood();

        // MODE SENSE is read-like: through Write Exclusive types only (table 5.6).
        Assert.Equal(type is Pr.WE or Pr.WERO or Pr.WEAR, h.Run(Cdb(0x1A, 0, 0x3F, 0, 255, 0), nexus: NexusB).Status == ScsiStatus.Good);
    }

    [Fact]
    public void Reserve_by_the_holder_again_is_good_and_another_type_or_nexus_conflicts()
    {
        var h = new Harness();
        h.RegisterKey(NexusA, 0xA);
        h.RegisterKey(NexusB, 0xB);
        Assert.Equal(ScsiStatus.ReservationConflict, h.Out(NexusA, Pr.Reserve, Pr.WE, Pr.List(0xB)).Status);
        h.ReserveAs(NexusA, 0xA, Pr.WE);
        h.ReserveAs(NexusA, 0xA, Pr.WE);
        Assert.Equal(ScsiStatus.ReservationConflict, h.Out(NexusA, Pr.Reserve, Pr.EA, Pr.List(0xA)).Status);
        Assert.Equal(ScsiStatus.ReservationConflict, h.Out(NexusB, Pr.Reserve, Pr.WE, Pr.List(0xB)).Status);
        Assert.Equal(2u, h.ReadKeys().Generation); // RESERVE does not bump PRgeneration
    }

    [Fact]
    public void Release_needs_the_reservation_type_and_tells_registrants_of_a_registrants_only_release()
    {
        var h = new Harness();
        h.RegisterKey(NexusA, 0xA);
        h.RegisterKey(NexusB, 0xB);
        h.ReserveAs(NexusA, 0xA, Pr.WERO);
        h.Out(NexusA, Pr.Release, Pr.WE, Pr.List(0xA)).AssertSense(SenseKey.IllegalRequest, 0x26, 0x04);
        h.Out(NexusB, Pr.Release, Pr.WERO, Pr.List(0xB)).AssertGood(); // not the holder: nothing happens
        Assert.NotNull(h.ReadReservation());
        h.Out(NexusA, Pr.Release, Pr.WERO, Pr.List(0xA)).AssertGood();
        Assert.Null(h.ReadReservation());
        Assert.Equal(((byte)0x2A, (byte)0x04), h.UnitAttention(NexusB));
        Assert.Null(h.UnitAttention(NexusA));
    }

    [Fact]
    public void Unregistering_the_holder_releases_the_reservation()
    {
        var h = new Harness();
        h.RegisterKey(NexusA, 0xA);
        h.RegisterKey(NexusB, 0xB);
        h.ReserveAs(NexusA, 0xA, Pr.EARO);
        h.Out(NexusA, Pr.Register, 0, Pr.List(0xA, 0)).AssertGood();
        Assert.Null(h.ReadReservation());
        Assert.Equal(((byte)0x2A, (byte)0x04), h.UnitAttention(NexusB));
    }

    [Fact]
    public void An_all_registrants_reservation_lasts_until_the_last_registrant_leaves()
    {
        var h = new Harness();
        h.RegisterKey(NexusA, 0xA);
        h.RegisterKey(NexusB, 0xB);
        h.ReserveAs(NexusA, 0xA, Pr.EAAR);
        h.Out(NexusA, Pr.Register, 0, Pr.List(0xA, 0)).AssertGood();
        Assert.Equal((0UL, Pr.EAAR), h.ReadReservation());
        Assert.False(h.Reads(NexusA));
        h.Out(NexusB, Pr.Register, 0, Pr.List(0xB, 0)).AssertGood();
        Assert.Null(h.ReadReservation());
        Assert.True(h.Reads(NexusA));
    }

    [Fact]
    public void Clear_removes_everything_and_preempts_the_others()
    {
        var h = new Harness();
        h.RegisterKey(NexusA, 0xA);
        h.RegisterKey(NexusB, 0xB);
        h.ReserveAs(NexusA, 0xA, Pr.EA);
        Assert.Equal(ScsiStatus.ReservationConflict, h.Out(NexusB, Pr.Clear, 0, Pr.List(0xA)).Status);
        h.Out(NexusB, Pr.Clear, 0, Pr.List(0xB)).AssertGood();
        AssertKeys(h, 3u, Array.Empty<ulong>());
        Assert.Null(h.ReadReservation());
        Assert.Equal(((byte)0x2A, (byte)0x03), h.UnitAttention(NexusA));
        Assert.Null(h.UnitAttention(NexusB));
    }

    [Fact]
    public void Preempt_without_a_reservation_removes_the_registrations_of_a_key()
    {
        var h = new Harness();
        h.RegisterKey(NexusA, 0xA);
        h.RegisterKey(NexusB, 0xB);
        var zero = h.Out(NexusB, Pr.Preempt, Pr.EA, Pr.List(0xB, 0));
        zero.AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.Equal((false, 8), (zero.CommandData, zero.FieldByte));
        Assert.Equal(ScsiStatus.ReservationConflict, h.Out(NexusB, Pr.Preempt, Pr.EA, Pr.List(0xB, 0x77)).Status);
        h.Out(NexusB, Pr.Preempt, Pr.EA, Pr.List(0xB, 0xA)).AssertGood();
        AssertKeys(h, 3u, new ulong[] { 0xB });
        Assert.Null(h.ReadReservation());
        Assert.Equal(((byte)0x2A, (byte)0x05), h.UnitAttention(NexusA));
    }

    [Fact]
    public void Preempting_the_holder_takes_the_reservation_with_the_new_type()
    {
        var h = new Harness();
        h.RegisterKey(NexusA, 0xA);
        h.RegisterKey(NexusB, 0xB);
        h.ReserveAs(NexusA, 0xA, Pr.WE);
        h.Out(NexusB, Pr.Preempt, Pr.EA, Pr.List(0xB, 0xA)).AssertGood();
        Assert.Equal((0xBUL, Pr.EA), h.ReadReservation());
        Assert.Equal(new ulong[] { 0xB }, h.ReadKeys().Keys);
        Assert.Equal(((byte)0x2A, (byte)0x05), h.UnitAttention(NexusA));
        Assert.False(h.Reads(NexusA));
    }

    [Fact]
    public void Preempt_and_abort_has_the_fabric_abort_the_preempted_nexus_tasks()
    {
        var h = new Harness();
        var aborter = new RecordingAborter();
        h.Unit.TaskAborter = aborter;
        h.RegisterKey(NexusA, 0xA);
        h.RegisterKey(NexusB, 0xB);
        h.ReserveAs(NexusA, 0xA, Pr.EA);
        h.Out(NexusB, Pr.PreemptAndAbort, Pr.WE, Pr.List(0xB, 0xA)).AssertGood();
        Assert.Same(h.Unit, aborter.Unit);
        Assert.True(aborter.Preempted!(NexusA));
        Assert.False(aborter.Preempted(NexusB));

        // PREEMPT does not abort.
        aborter.Unit = null;
        Assert.Equal(((byte)0x2A, (byte)0x05), h.UnitAttention(NexusA));
        h.RegisterKey(NexusA, 0xC);
        h.Out(NexusB, Pr.Preempt, Pr.WE, Pr.List(0xB, 0xC)).AssertGood();
        Assert.Null(aborter.Unit);
    }

    [Fact]
    public void Specify_initiator_ports_registers_the_named_initiators_too()
    {
        var h = new Harness();
        byte[] ids = Pr.TransportId("iqn.2026-01.test:b,i,0x230000000002");
        h.Out(NexusA, Pr.Register, 0, Pr.List(0, 0x5, specifyInitiatorPorts: true, transportIds: ids)).AssertGood();
        Assert.Equal(new ulong[] { 0x5, 0x5 }, h.ReadKeys().Keys);
        h.ReserveAs(NexusB, 0x5, Pr.EA); // B is registered with the key

        // Only REGISTER takes SPEC_I_PT; a registered nexus may not use it.
        var h2 = new Harness();
        h2.Out(NexusA, Pr.RegisterAndIgnore, 0, Pr.List(0, 0x5, specifyInitiatorPorts: true, transportIds: ids))
            .AssertSense(SenseKey.IllegalRequest, 0x1A, 0x00);
        h2.RegisterKey(NexusA, 0x5);
        Result again = h2.Out(NexusA, Pr.Register, 0, Pr.List(0x5, 0x6, specifyInitiatorPorts: true, transportIds: ids));
        again.AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.Equal(20, again.FieldByte);
    }

    [Fact]
    public void A_transport_id_of_another_protocol_is_an_invalid_field_in_the_parameter_list()
    {
        var h = new Harness();
        byte[] ids = Pr.TransportId("iqn.2026-01.test:b,i,0x230000000002", protocol: 0);
        Result r = h.Out(NexusA, Pr.Register, 0, Pr.List(0, 0x5, specifyInitiatorPorts: true, transportIds: ids));
        r.AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.Equal((false, 28), (r.CommandData, r.FieldByte));
        Assert.Empty(h.ReadKeys().Keys); // nothing registered
    }

    [Fact]
    public void All_target_ports_registers_the_initiator_port_through_every_target_port()
    {
        var h = new Harness();
        h.Out(NexusA, Pr.Register, 0, Pr.List(0, 0xA, allTargetPorts: true)).AssertGood();
        h.ReserveAs(Pr.NexusA2, 0xA, Pr.EA);
        Assert.True(h.Writes(NexusA));
        Assert.False(h.Reads(NexusB));

        // Without ALL_TG_PT the other port's nexus is another, unregistered, I_T nexus.
        var h2 = new Harness();
        h2.RegisterKey(NexusA, 0xA);
        Assert.Equal(ScsiStatus.ReservationConflict, h2.Out(Pr.NexusA2, Pr.Reserve, Pr.EA, Pr.List(0xA)).Status);
    }

    [Fact]
    public void Register_and_move_hands_the_reservation_to_another_nexus()
    {
        var h = new Harness();
        h.RegisterKey(NexusB, 0xB); // B is known to the unit through target port 1
        h.RegisterKey(NexusA, 0xA);
        h.ReserveAs(NexusA, 0xA, Pr.WE);
        byte[] b = Pr.TransportId("iqn.2026-01.test:b,i,0x230000000002");
        h.Out(NexusA, Pr.RegisterAndMove, 0, Pr.MoveList(0xA, 0, 1, b)).AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Result unknownPort = h.Out(NexusA, Pr.RegisterAndMove, 0, Pr.MoveList(0xA, 0xBB, 9, b));
        Assert.Equal(18, unknownPort.FieldByte);
        h.Out(NexusA, Pr.RegisterAndMove, 0, Pr.MoveList(0xA, 0xBB, 1, b, unregister: true)).AssertGood();
        Assert.Equal((0xBBUL, Pr.WE), h.ReadReservation());
        Assert.Equal(new ulong[] { 0xBB }, h.ReadKeys().Keys);
        Assert.False(h.Writes(NexusA));
        Assert.True(h.Writes(NexusB));
        Assert.Equal(ScsiStatus.ReservationConflict, h.Out(NexusA, Pr.RegisterAndMove, 0, Pr.MoveList(0xA, 0xCC, 1, b)).Status);
    }

    [Theory]
    [InlineData(Pr.Register, 23)]
    [InlineData(Pr.Register, 25)]
    [InlineData(Pr.Reserve, 28)]
    [InlineData(Pr.Clear, 0)]
    public void A_parameter_list_of_the_wrong_length_is_refused_before_or_after_the_data(byte serviceAction, int length)
    {
        var h = new Harness();
        var list = new byte[Math.Max(length, 1)];
        Result r = h.Run(Pr.OutCdb(serviceAction, Pr.WE, length), list);
        r.AssertSense(SenseKey.IllegalRequest, 0x1A, 0x00);
    }

    [Theory]
    [InlineData(Pr.Reserve, 0x02, 3)]
    [InlineData(Pr.Release, 0x04, 3)]
    [InlineData(Pr.Preempt, 0x09, 3)]
    [InlineData(Pr.Reserve, 0x13, 7)]
    public void A_bad_type_or_scope_is_an_invalid_field_in_the_cdb(byte serviceAction, byte scopeType, int bit)
    {
        var h = new Harness();
        Result r = h.Run(Harness.Cdb(0x5F, serviceAction, scopeType, 0, 0, 0, 0, 0, 24, 0), new byte[24]);
        Assert.False(r.Prepared);
        r.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((true, 2, bit), (r.CommandData, r.FieldByte, r.FieldBit));
    }

    [Fact]
    public void Aptpl_needs_a_store()
    {
        var h = new Harness();
        Result r = h.Out(NexusA, Pr.Register, 0, Pr.List(0, 0xA, aptpl: true));
        r.AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.Equal((20, 0), (r.FieldByte, r.FieldBit));
    }

    private static void AssertKeys(Harness h, uint generation, ulong[] keys)
    {
        (uint actualGeneration, ulong[] actualKeys) = h.ReadKeys();
        Assert.Equal(generation, actualGeneration);
        Assert.Equal(keys, actualKeys);
    }

    private sealed class RecordingAborter : ITaskAborter
    {
        public LogicalUnit? Unit { get; set; }
        public Func<ItNexus, bool>? Preempted { get; private set; }

        public ValueTask AbortTasksAsync(LogicalUnit unit, Func<ItNexus, bool> preempted)
        {
            Unit = unit;
            Preempted = preempted;
            return default;
        }
    }
}
