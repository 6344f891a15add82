using System.Buffers.Binary;
using SharpSan.Protocol;
using static SharpSan.Target.Tests.TestInitiator;

namespace SharpSan.Target.Tests;

/// <summary>PREEMPT AND ABORT over iSCSI (SPC-4 5.13.11.5): the server aborts the preempted I_T nexus'
/// tasks, which then get no response of their own.</summary>
public sealed class PersistentReservationTests
{
    [Fact]
    public async Task Preempt_and_abort_aborts_the_preempted_nexus_tasks()
    {
        await using var h = await TestTarget.StartAsync();
        string[] r2t = StandardOperational(initialR2T: "Yes", immediateData: "No");
        using var a = h.LoginNormal(isid: 0x80000000000A, operational: r2t);
        using var b = h.LoginNormal(isid: 0x80000000000B, operational: r2t);
        Assert.Equal(0, Prout(a, 0x06, 0, 0, 0xA));   // REGISTER AND IGNORE EXISTING KEY
        Assert.Equal(0, Prout(b, 0x06, 0, 0, 0xB));
        Assert.Equal(0, Prout(a, 0x01, 3, 0xA));      // RESERVE, Exclusive Access

        // a's WRITE passed every check and waits for its data when b preempts and aborts.
        uint itt = a.SendCommand(Cdb10(0x2A, 8, 8), 4096, write: true);
        var ready = a.Receive();
        Assert.Equal(Opcode.ReadyToTransfer, ready.Opcode);
        // PREEMPT AND ABORT, Write Exclusive: it completes once a's WRITE has ended (SAM-5 5.6), and
        // that WRITE, aborted by another nexus with TAS=1 (the default), ends with TASK ABORTED.
        var list = new byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(list, 0xB);
        BinaryPrimitives.WriteUInt64BigEndian(list.AsSpan(8), 0xA);
        uint prout = b.SendCommand([0x5F, 0x05, 1, 0, 0, 0, 0, 0, 24, 0], 24, write: true);
        var proutReady = b.Receive();
        Assert.Equal(Opcode.ReadyToTransfer, proutReady.Opcode);
        b.SendDataOut(prout, proutReady.Ttt, 0, 0, list, true);
        // The preemption has happened once a's key is gone (READ KEYS from a third session); the abort
        // of a's tasks follows in the same command.
        using var c = h.LoginNormal(isid: 0x80000000000C);
        for (int i = 0; i < 10000; i++)
        {
            var (keys, status) = c.Execute([0x5E, 0x00, 0, 0, 0, 0, 0, 0, 64, 0], 64, read: true, write: false);
            if (status.Byte3 == 0 && BinaryPrimitives.ReadUInt32BigEndian(keys.AsSpan(4)) == 8) break;
        }

        a.SendDataOut(itt, ready.Ttt, 0, 0, Enumerable.Repeat((byte)0x5A, 4096).ToArray(), true);
        var aborted = a.Receive();
        Assert.Equal(Opcode.ScsiResponse, aborted.Opcode);
        Assert.Equal(itt, aborted.Itt);
        Assert.Equal(0x40, aborted.Byte3);                // TASK ABORTED
        a.Ack(aborted);
        var proutRsp = b.Receive();
        Assert.Equal(prout, proutRsp.Itt);
        Assert.Equal(0, proutRsp.Byte3);
        b.Ack(proutRsp);

        var next = a.Command(TestUnitReady);
        Assert.Equal(0x02, next.Byte3);
        Assert.Equal((0x06, 0x2A, 0x05), next.Sense);     // REGISTRATIONS PREEMPTED
        var (data, final) = b.Read10(8, 4096);
        Assert.Equal(0, final.Byte3);
        Assert.Equal(new byte[4096], data);               // and its data was not written
    }

    private static byte Prout(TestInitiator c, byte serviceAction, byte type, ulong key, ulong serviceActionKey = 0)
    {
        var list = new byte[24];
        BinaryPrimitives.WriteUInt64BigEndian(list, key);
        BinaryPrimitives.WriteUInt64BigEndian(list.AsSpan(8), serviceActionKey);
        byte[] cdb = [0x5F, serviceAction, type, 0, 0, 0, 0, 0, 24, 0];
        uint itt = c.SendCommand(cdb, 24, write: true);
        var ready = c.Receive();
        Assert.Equal(Opcode.ReadyToTransfer, ready.Opcode);
        c.SendDataOut(itt, ready.Ttt, 0, 0, list, true);
        var rsp = c.Receive();
        Assert.Equal(itt, rsp.Itt);
        c.Ack(rsp);
        return rsp.Byte3;
    }
}
