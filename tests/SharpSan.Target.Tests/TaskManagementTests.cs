using SharpSan.Protocol;
using static SharpSan.Target.Tests.TestInitiator;

namespace SharpSan.Target.Tests;

public sealed class TaskManagementTests
{
    private const int AbortTask = 1, AbortTaskSet = 2, ClearAca = 3, LunReset = 5, TaskReassign = 8;

    private static void AssertTmfResponse(RawPdu rsp, byte expected, uint expectedStatSN)
    {
        Assert.Equal(Opcode.TaskManagementResponse, rsp.Opcode);
        Assert.Equal(0x80, rsp.Flags);
        Assert.Equal(expected, rsp.Byte2);
        Assert.Equal(expectedStatSN, rsp.StatSN);
        Assert.Equal(0, rsp.DataSegmentLength);
    }

    [Fact]
    public async Task AbortTask_OfAnsweredTask_IsTaskDoesNotExist()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var tur = c.Command(TestUnitReady); // CmdSN 1; ExpCmdSN now 2
        uint stat = c.ExpStatSN;
        var rsp = c.TaskManagement(AbortTask, referencedItt: tur.Itt, refCmdSN: 1);
        AssertTmfResponse(rsp, 1, stat);
        Assert.Equal(2u, rsp.ExpCmdSN);
    }

    [Fact]
    public async Task AbortTask_OfUnknownTag_BelowExpCmdSN_IsTaskDoesNotExist()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        c.Command(TestUnitReady);
        c.Command(TestUnitReady); // ExpCmdSN 3
        var rsp = c.TaskManagement(AbortTask, referencedItt: 0xDEAD, refCmdSN: 2);
        AssertTmfResponse(rsp, 1, rsp.StatSN);
    }

    [Fact]
    public async Task AbortTask_RefCmdSNNotYetReceived_IsFunctionComplete()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        c.Command(TestUnitReady); // ExpCmdSN 2
        var rsp = c.TaskManagement(AbortTask, referencedItt: 0xBEEF, refCmdSN: 2);
        AssertTmfResponse(rsp, 0, rsp.StatSN);
    }

    [Fact]
    public async Task AbortTask_OfCommandWaitingForData_CompletesWithoutTaskResponse()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal(operational: StandardOperational(initialR2T: "Yes", immediateData: "No"));
        uint itt = c.SendCommand(Cdb10(0x2A, 0, 8), 4096, write: true);
        var r2t = c.Receive();
        Assert.Equal(Opcode.ReadyToTransfer, r2t.Opcode);
        var rsp = c.TaskManagement(AbortTask, referencedItt: itt, refCmdSN: 1);
        AssertTmfResponse(rsp, 0, rsp.StatSN);
        // Data for the aborted task is discarded silently; the next PDU answers our ping.
        c.SendDataOut(itt, r2t.Ttt, 0, 0, new byte[4096], true);
        var nop = c.NopOut(new byte[] { 4 });
        Assert.Equal(Opcode.NopIn, nop.Opcode);
        Assert.Equal(rsp.StatSN + 1, nop.StatSN);
        // The ITT is free again.
        c.Ack(nop);
        var again = c.SendCommand(TestUnitReady, 0, itt: itt);
        var tur = c.Receive();
        Assert.Equal(Opcode.ScsiResponse, tur.Opcode);
        Assert.Equal(again, tur.Itt);
        Assert.Equal(0, tur.Byte3);
    }

    [Fact]
    public async Task LunReset_CompletesAndEverySessionGetsUnitAttention()
    {
        await using var h = await TestTarget.StartAsync();
        using var a = h.LoginNormal(isid: 0x80000000000A);
        using var b = h.LoginNormal(isid: 0x80000000000B);
        Assert.Equal(0, b.Command(TestUnitReady).Byte3); // b's nexus is known to the LU
        Assert.Equal(0, a.Command(TestUnitReady).Byte3);

        uint stat = a.ExpStatSN;
        var rsp = a.TaskManagement(LunReset, lun: 0);
        AssertTmfResponse(rsp, 0, stat);

        var ua = b.Command(TestUnitReady);
        Assert.Equal(0x02, ua.Byte3);
        Assert.Equal((0x06, 0x29, 0x03), ua.Sense);
        Assert.Equal(0, b.Command(TestUnitReady).Byte3); // reported once
        Assert.Equal((0x06, 0x29, 0x03), a.Command(TestUnitReady).Sense); // to the requester too, as LIO
        Assert.Equal(0, a.Command(TestUnitReady).Byte3);
    }

    [Fact]
    public async Task LunReset_AbortsCommandWaitingForData()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal(operational: StandardOperational(initialR2T: "Yes", immediateData: "No"));
        uint itt = c.SendCommand(Cdb10(0x2A, 0, 8), 4096, write: true);
        Assert.Equal(Opcode.ReadyToTransfer, c.Receive().Opcode);
        var rsp = c.TaskManagement(LunReset, lun: 0);
        AssertTmfResponse(rsp, 0, rsp.StatSN);
        // The aborted WRITE's ITT can be reused at once; the reset's unit attention comes first.
        var tur = c.Command(TestUnitReady);
        Assert.Equal((0x06, 0x29, 0x03), tur.Sense);
        Assert.NotEqual(itt, tur.Itt);
        Assert.Equal(0, c.Command(TestUnitReady).Byte3);
    }

    [Theory]
    [InlineData(LunReset)]
    [InlineData(AbortTaskSet)]
    [InlineData(4)] // CLEAR TASK SET
    public async Task Tmf_OnUnmappedLun_IsLunDoesNotExist(int function)
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var rsp = c.TaskManagement(function, lun: 5);
        AssertTmfResponse(rsp, 2, rsp.StatSN);
    }

    [Fact]
    public async Task TaskReassign_IsNotSupportedAtErl0()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var rsp = c.TaskManagement(TaskReassign, referencedItt: 0x1234, refCmdSN: 0);
        AssertTmfResponse(rsp, 4, rsp.StatSN);
    }

    [Fact]
    public async Task ClearAca_IsNotSupported_UnknownFunction_IsRejected()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        AssertTmfResponse(c.TaskManagement(ClearAca), 5, c.ExpStatSN - 1);
        uint stat = c.ExpStatSN;
        AssertTmfResponse(c.TaskManagement(15), 255, stat);
    }

    [Fact]
    public async Task AbortTaskSet_OnMappedLun_IsFunctionComplete()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var rsp = c.TaskManagement(AbortTaskSet, lun: 0);
        AssertTmfResponse(rsp, 0, rsp.StatSN);
    }

    [Fact]
    public async Task DuplicateItt_WhileCommandWaitsForData_IsRejectedTaskInProgress()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal(operational: StandardOperational(initialR2T: "Yes", immediateData: "No"));
        var data = new byte[4096];
        new Random(5).NextBytes(data);
        uint itt = c.SendCommand(Cdb10(0x2A, 64, 8), 4096, write: true);
        var r2t = c.Receive();
        Assert.Equal(Opcode.ReadyToTransfer, r2t.Opcode);

        var dup = c.CommandHeader(TestUnitReady, 0, false, false, true, 0, itt: itt);
        c.Send(dup, ReadOnlySpan<byte>.Empty);
        var rej = c.Receive();
        Assert.Equal(Opcode.Reject, rej.Opcode);
        Assert.Equal(0x07, rej.Byte2);
        Assert.Equal(Bhs.ReservedTag, rej.Itt);
        Assert.Equal(dup, rej.Data);
        c.Ack(rej);

        // The original command is untouched and completes.
        c.SendDataOut(itt, r2t.Ttt, 0, 0, data, true);
        var rsp = c.Receive();
        Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
        Assert.Equal(itt, rsp.Itt);
        Assert.Equal(0, rsp.Byte3);
        c.Ack(rsp);
        Assert.Equal(data, Gather(c.Read10(64, 8, 4096), 4096));
    }
}
