using static SharpSan.Scsi.Tests.Harness;

namespace SharpSan.Scsi.Tests.PersistentReservations;

/// <summary>APTPL (SPC-4 5.13.5): state saved before GOOD, restored with PRgeneration zero.</summary>
public sealed class AptplTests
{
    [Fact]
    public void Aptpl_state_is_saved_before_good_and_restored_on_another_unit()
    {
        var store = new PersistentReserveInTests.MemoryStore();
        var h = new Harness();
        h.Unit.AttachPersistentReservationStore(store);
        h.RegisterKey(NexusB, 0xB); // APTPL=0: nothing saved
        Assert.Equal(0, store.Saves);
        h.Out(NexusA, Pr.Register, 0, Pr.List(0, 0xA, aptpl: true)).AssertGood();
        h.ReserveAs(NexusA, 0xA, Pr.EA);
        Assert.Equal(2, store.Saves);
        Assert.Equal(PersistentReservationType.ExclusiveAccess, store.Saved!.Type);

        // A new unit over the same store, as after a restart.
        var restarted = new Harness(new MemoryBackstore());
        restarted.Unit.AttachPersistentReservationStore(store);
        (uint generation, ulong[] keys) = restarted.ReadKeys();
        Assert.Equal(0u, generation);
        Assert.Equal(new ulong[] { 0xB, 0xA }, keys);
        Assert.Equal((0xAUL, Pr.EA), restarted.ReadReservation());
        Assert.False(restarted.Reads(NexusB));
        Assert.True(restarted.Writes(NexusA));

        // APTPL=0 with the next registration removes the saved state.
        restarted.Out(NexusB, Pr.Register, 0, Pr.List(0xB, 0xBB)).AssertGood();
        Assert.Null(store.Saved);
    }

    [Fact]
    public void A_state_that_cannot_be_saved_is_not_applied()
    {
        var store = new PersistentReserveInTests.MemoryStore();
        var h = new Harness();
        h.Unit.AttachPersistentReservationStore(store);
        h.Out(NexusA, Pr.Register, 0, Pr.List(0, 0xA, aptpl: true)).AssertGood();
        store.Fail = true;
        h.Out(NexusA, Pr.Reserve, Pr.EA, Pr.List(0xA)).AssertSense(SenseKey.IllegalRequest, 0x55, 0x04);
        Assert.Null(h.ReadReservation());
        Assert.True(h.Writes(NexusB));
    }
}
