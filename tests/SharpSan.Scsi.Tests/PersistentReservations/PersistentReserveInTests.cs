using System.Buffers.Binary;
using System.Text;
using static SharpSan.Scsi.Tests.Harness;

namespace SharpSan.Scsi.Tests.PersistentReservations;

/// <summary>PERSISTENT RESERVE IN (SPC-4 6.15).</summary>
public sealed class PersistentReserveInTests
{
    [Fact]
    public void Read_keys_is_cut_to_the_allocation_length_but_tells_the_whole_length()
    {
        var h = new Harness();
        h.RegisterKey(NexusA, 0x1122334455667788);
        h.RegisterKey(NexusB, 0x99);
        Result r = h.Run(Pr.InCdb(0, 8));
        r.AssertGood();
        Assert.Equal(8, r.Data.Length);
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32BigEndian(r.Data.AsSpan(4)));
        Result whole = h.Run(Pr.InCdb(0, 100));
        Assert.Equal(24, whole.Data.Length);
        Assert.Equal(0x1122334455667788UL, BinaryPrimitives.ReadUInt64BigEndian(whole.Data.AsSpan(8)));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(8)]
    [InlineData(0x1F)]
    public void An_unknown_service_action_is_an_invalid_field_in_the_cdb(int serviceAction)
    {
        var h = new Harness();
        Result r = h.Run(Pr.InCdb((byte)serviceAction));
        r.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((1, 4), (r.FieldByte, r.FieldBit));
    }

    [Fact]
    public void Report_capabilities_tells_every_type_and_what_is_supported()
    {
        var h = new Harness();
        Result r = h.Run(Pr.InCdb(2));
        r.AssertGood();
        // LENGTH 8; CRH, SIP_C, ATP_C, no PTPL_C without a store; TMV, ALLOW COMMANDS 001b; all six types.
        Assert.Equal(new byte[] { 0, 8, 0x1C, 0x90, 0xEA, 0x01, 0, 0 }, r.Data);
        h.Unit.AttachPersistentReservationStore(new MemoryStore());
        h.Out(NexusA, Pr.Register, 0, Pr.List(0, 1, aptpl: true)).AssertGood();
        Result aptpl = h.Run(Pr.InCdb(2));
        Assert.Equal((0x1D, 0x91), (aptpl.Data[2], aptpl.Data[3])); // PTPL_C and PTPL_A
    }

    [Fact]
    public void Read_full_status_describes_each_registration_with_its_transport_id()
    {
        var h = new Harness();
        h.Out(NexusA, Pr.Register, 0, Pr.List(0, 0xA, allTargetPorts: true)).AssertGood();
        h.RegisterKey(NexusB, 0xB);
        h.ReserveAs(NexusB, 0xB, Pr.WERO);
        Result r = h.Run(Pr.InCdb(3), nexus: Pr.NexusC);
        r.AssertGood();
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(r.Data)); // two registrations; RESERVE does not count
        Assert.Equal((uint)(r.Data.Length - 8), BinaryPrimitives.ReadUInt32BigEndian(r.Data.AsSpan(4)));

        ReadOnlySpan<byte> a = r.Data.AsSpan(8);
        Assert.Equal(0xAUL, BinaryPrimitives.ReadUInt64BigEndian(a));
        Assert.Equal(0x02, a[12]); // ALL_TG_PT, not the holder
        int aId = (int)BinaryPrimitives.ReadUInt32BigEndian(a[20..]);
        Assert.Equal(0x45, a[24]); // format 01b, iSCSI
        Assert.Equal(aId - 4, BinaryPrimitives.ReadUInt16BigEndian(a[26..]));
        Assert.Equal(0, aId % 4);
        Assert.Equal("iqn.2026-01.test:a,i,0x230000000001", Encoding.UTF8.GetString(a.Slice(28, aId - 4)).TrimEnd('\0'));

        ReadOnlySpan<byte> b = a[(24 + aId)..];
        Assert.Equal(0xBUL, BinaryPrimitives.ReadUInt64BigEndian(b));
        Assert.Equal((0x01, Pr.WERO), (b[12], b[13])); // R_HOLDER, type
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(b[18..]));
    }

    [Fact]
    public void Reserve_and_release_conflict_while_registrations_exist_except_for_the_holder()
    {
        var h = new Harness();
        h.RegisterKey(NexusA, 0xA);
        byte[] reserve6 = Cdb(0x16, 0, 0, 0, 0, 0);
        byte[] release6 = Cdb(0x17, 0, 0, 0, 0, 0);
        Assert.Equal(ScsiStatus.ReservationConflict, h.Run(reserve6, nexus: NexusB).Status);
        Assert.Equal(ScsiStatus.ReservationConflict, h.Run(release6, nexus: NexusB).Status);
        Assert.Equal(ScsiStatus.ReservationConflict, h.Run(reserve6, nexus: NexusA).Status); // registered, no reservation

        // SPC-4 5.13.3: the holder's RESERVE completes GOOD and reserves nothing.
        h.ReserveAs(NexusA, 0xA, Pr.WE);
        h.Run(reserve6, nexus: NexusA).AssertGood();
        Assert.Null(h.Unit.ReservationHolder);
        h.Run(release6, nexus: NexusA).AssertGood();
        Assert.NotNull(h.ReadReservation());

        // Without registrations RESERVE/RELEASE work as SPC-2 says, and a RESERVE blocks PERSISTENT RESERVE OUT.
        h.Out(NexusA, Pr.Clear, 0, Pr.List(0xA)).AssertGood();
        h.Run(reserve6, nexus: NexusB).AssertGood();
        Assert.Equal(ScsiStatus.ReservationConflict, h.Out(NexusA, Pr.RegisterAndIgnore, 0, Pr.List(0, 1)).Status);
    }

    [Fact]
    public void Nothing_conflicts_and_nothing_is_reported_when_no_one_registered()
    {
        var h = new Harness();
        Assert.True(h.Writes(NexusA) && h.Writes(NexusB));
        Result r = h.Run(Pr.InCdb(1));
        r.AssertGood();
        Assert.Equal(new byte[8], r.Data);
    }

    /// <summary>An in-memory <see cref="IPersistentReservationStore"/>; can be told to fail.</summary>
    internal sealed class MemoryStore : IPersistentReservationStore
    {
        public PersistentReservationState? Saved { get; set; }
        public int Saves { get; private set; }
        public bool Fail { get; set; }

        public PersistentReservationState? Load() => Saved;

        public ValueTask SaveAsync(PersistentReservationState? state, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new IOException("disk full");
            }

            Saves++;
            Saved = state;
            return default;
        }
    }
}
