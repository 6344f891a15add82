using SharpSan.Protocol;
using static SharpSan.Target.Tests.TestInitiator;

namespace SharpSan.Target.Tests;

/// <summary>
/// CLEAR TASK SET and LOGICAL UNIT RESET reaching the tasks of other I_T nexuses (SAM-5 5.6, 7.4, 7.7),
/// the control mode page's TAS bit (SPC-4 7.5.8), and I_T NEXUS LOSS OCCURRED. The other session's
/// WRITEs are held in flight deterministically: with InitialR2T=Yes and no immediate data they wait
/// for Data-Out, which the test sends only when it chooses.
/// </summary>
public sealed class TaskSetClearingTests
{
    private const int ClearTaskSet = 4, LunReset = 5;
    private const int Writes = 4;

    private static readonly string[] HeldWrites = StandardOperational(initialR2T: "Yes", immediateData: "No");

    /// <summary>Sends <see cref="Writes"/> WRITE(10)s of 8 blocks at LBA 100, 200, ... and returns each
    /// one's R2T: the commands now wait for their data.</summary>
    private static List<RawPdu> HoldWrites(TestInitiator c)
    {
        var itts = new List<uint>();
        for (int i = 0; i < Writes; i++) itts.Add(c.SendCommand(Cdb10(0x2A, (uint)(100 * (i + 1)), 8), 4096, write: true));
        var r2ts = new List<RawPdu>();
        for (int i = 0; i < Writes; i++)
        {
            var r2t = c.ReceiveSkippingPings();
            Assert.Equal(Opcode.ReadyToTransfer, r2t.Opcode);
            r2ts.Add(r2t);
        }
        Assert.Equal(itts.Order(), r2ts.Select(r => r.Itt).Order());
        return r2ts;
    }

    private static void SendData(TestInitiator c, RawPdu r2t) =>
        c.SendDataOut(r2t.Itt, r2t.Ttt, 0, 0, Enumerable.Repeat((byte)0xA5, 4096).ToArray(), true);

    /// <summary>The issuing session's TMF response has not gone out: a ping sent now is answered first.</summary>
    private static void AssertNoTmfResponseYet(TestInitiator a)
    {
        var nop = a.NopOut([7]);
        Assert.Equal(Opcode.NopIn, nop.Opcode);
    }

    private static void AssertTmfComplete(TestInitiator a, uint itt)
    {
        var rsp = a.ReceiveSkippingPings();
        Assert.Equal(Opcode.TaskManagementResponse, rsp.Opcode);
        Assert.Equal(itt, rsp.Itt);
        Assert.Equal(0, rsp.Byte2);
        a.Ack(rsp);
    }

    /// <summary>TAS=0 through MODE SELECT(6) of the control mode page.</summary>
    private static void ClearTas(TestInitiator c)
    {
        var (data, sense) = c.Execute([0x1A, 0x08, 0x0A, 0, 255, 0], 255, read: true, write: false);
        Assert.Equal(0, sense.Byte3);
        byte[] page = data[..(data[0] + 1)]; // header and control page, as long as MODE DATA LENGTH says
        page[0] = 0;
        page[2] = 0;
        page[4 + 5] &= 0xBF;
        var (_, select) = c.Execute([0x15, 0x10, 0, 0, (byte)page.Length, 0], (uint)page.Length, read: false, write: true, dataOut: page);
        Assert.Equal(0, select.Byte3);
    }

    /// <summary>None of the aborted WRITEs reached the medium.</summary>
    private static void AssertNothingWritten(TestInitiator c)
    {
        for (int i = 0; i < Writes; i++)
        {
            var (data, final) = c.Read10((uint)(100 * (i + 1)), 4096);
            Assert.Equal(0, final.Byte3);
            Assert.All(data, b => Assert.Equal(0, b));
        }
    }

    [Theory]
    [InlineData(ClearTaskSet)]
    [InlineData(LunReset)]
    public async Task Tas1_OtherSessionsTasksEndWithTaskAborted_BeforeTheTmfResponse(int function)
    {
        await using var h = await TestTarget.StartAsync();
        using var a = h.LoginNormal(isid: 0x80000000000A);
        using var b = h.LoginNormal(isid: 0x80000000000B, operational: HeldWrites);
        var r2ts = HoldWrites(b);

        uint tmf = a.SendTaskManagement(function, lun: 0);
        for (int i = 0; i < Writes; i++)
        {
            AssertNoTmfResponseYet(a);
            SendData(b, r2ts[i]);
            var rsp = b.ReceiveSkippingPings();
            Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
            Assert.Equal(r2ts[i].Itt, rsp.Itt);
            Assert.Equal(0x40, rsp.Byte3); // TASK ABORTED
            Assert.Equal(0, rsp.DataSegmentLength);
            b.Ack(rsp);
        }
        AssertTmfComplete(a, tmf);

        // A CLEAR TASK SET with TAS=1 leaves no unit attention; a LUN reset reports itself to every nexus.
        var tur = b.Command(TestUnitReady);
        if (function == LunReset)
        {
            Assert.Equal((0x06, 0x29, 0x03), tur.Sense);
            Assert.Equal(0, b.Command(TestUnitReady).Byte3);
        }
        else
        {
            Assert.Equal(0, tur.Byte3);
        }
        AssertNothingWritten(b);
    }

    [Fact]
    public async Task Tas0_ClearTaskSet_EndsOtherSessionsTasksSilently_WithCommandsClearedByAnotherInitiator()
    {
        await using var h = await TestTarget.StartAsync();
        using var a = h.LoginNormal(isid: 0x80000000000A);
        ClearTas(a); // before B addresses the unit, so B has no MODE PARAMETERS CHANGED pending
        using var b = h.LoginNormal(isid: 0x80000000000B, operational: HeldWrites);
        using var c = h.LoginNormal(isid: 0x80000000000C);
        Assert.Equal(0, c.Command(TestUnitReady).Byte3); // C knows the unit but has nothing in flight
        var r2ts = HoldWrites(b);

        uint tmf = a.SendTaskManagement(ClearTaskSet, lun: 0);
        for (int i = 0; i < Writes; i++)
        {
            AssertNoTmfResponseYet(a);
            SendData(b, r2ts[i]);
        }
        AssertTmfComplete(a, tmf);

        // No response came for the WRITEs: the next PDU B sees answers its TEST UNIT READY.
        var tur = b.Command(TestUnitReady);
        Assert.Equal((0x06, 0x2F, 0x00), tur.Sense);
        Assert.Equal(0, b.Command(TestUnitReady).Byte3);
        Assert.Equal(0, c.Command(TestUnitReady).Byte3); // lost nothing, told nothing
        Assert.Equal(0, a.Command(TestUnitReady).Byte3); // the issuer is not told either
        AssertNothingWritten(b);
    }

    [Fact]
    public async Task ClearTaskSet_IssuersOwnTasksEndWithoutResponse()
    {
        await using var h = await TestTarget.StartAsync();
        using var a = h.LoginNormal(isid: 0x80000000000A, operational: HeldWrites);
        HoldWrites(a);
        var rsp = a.TaskManagement(ClearTaskSet, lun: 0);
        Assert.Equal(Opcode.TaskManagementResponse, rsp.Opcode);
        Assert.Equal(0, rsp.Byte2);
        Assert.Equal(0, a.Command(TestUnitReady).Byte3);
        AssertNothingWritten(a);
    }

    [Fact]
    public async Task DroppedSession_ItsNexusGetsNexusLossOccurred_OnReturn_ButNotAfterLogout()
    {
        await using var h = await TestTarget.StartAsync();
        using (var b = h.LoginNormal(isid: 0x80000000000B))
        {
            Assert.Equal(0, b.Command(TestUnitReady).Byte3);
        } // the connection drops, no logout

        // Same initiator port (name + ISID): the same I_T nexus, in a reinstated or new session.
        using var again = h.LoginNormal(isid: 0x80000000000B);
        Assert.Equal((0x06, 0x29, 0x07), again.Command(TestUnitReady).Sense);
        Assert.Equal(0, again.Command(TestUnitReady).Byte3);

        Assert.Equal(0, again.Logout(0).Byte2);
        using var third = h.LoginNormal(isid: 0x80000000000B);
        Assert.Equal(0, third.Command(TestUnitReady).Byte3);
    }
}
