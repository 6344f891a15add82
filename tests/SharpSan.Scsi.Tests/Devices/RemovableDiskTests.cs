namespace SharpSan.Scsi.Tests.Devices;

/// <summary>START STOP UNIT LOEJ on a removable disk while PREVENT ALLOW MEDIUM REMOVAL holds the medium
/// (SBC-3; libiscsi's PreventAllow.Eject).</summary>
public sealed class RemovableDiskTests
{
    private static readonly byte[] TestUnitReady = Harness.Cdb(0x00, 0, 0, 0, 0, 0);
    private static readonly byte[] Eject = Harness.Cdb(0x1B, 0, 0, 0, 0x02, 0);
    private static readonly byte[] Load = Harness.Cdb(0x1B, 0, 0, 0, 0x03, 0);
    private static readonly byte[] Prevent = Harness.Cdb(0x1E, 0, 0, 0, 0x01, 0);
    private static readonly byte[] Allow = Harness.Cdb(0x1E, 0, 0, 0, 0x00, 0);

    [Fact]
    public void Neither_eject_nor_load_while_removal_is_prevented()
    {
        var backstore = new MemoryBackstore();
        var harness = new Harness(new LogicalUnit(backstore, Harness.Identity, new LogicalUnitSettings { Removable = true }), backstore);
        harness.Run(Prevent).AssertGood();
        harness.Run(Eject).AssertSense(SenseKey.IllegalRequest, 0x53, 0x02);
        harness.Run(TestUnitReady).AssertGood();

        harness.Run(Allow).AssertGood();
        harness.Run(Eject).AssertGood();
        harness.Run(TestUnitReady).AssertSense(SenseKey.NotReady, 0x3A, 0x00);

        harness.Run(Prevent).AssertGood();
        harness.Run(Load).AssertSense(SenseKey.IllegalRequest, 0x53, 0x02);
        harness.Run(TestUnitReady).AssertSense(SenseKey.NotReady, 0x3A, 0x00);

        harness.Run(Allow).AssertGood();
        harness.Run(Load).AssertGood();
        harness.Run(TestUnitReady).AssertGood();
    }
}
