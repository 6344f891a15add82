using System.Buffers.Binary;
using SharpSan.Protocol;
using static SharpSan.Target.Tests.TestInitiator;

namespace SharpSan.Target.Tests;

public sealed class FullFeatureTests
{
    private static byte[] Pattern(int length, int seed)
    {
        var b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte)(i * 31 + seed + (i >> 9));
        return b;
    }

    private static void AssertWindowOpen(RawPdu p)
    {
        // MaxCmdSN - ExpCmdSN + 1 > 0 in serial arithmetic.
        int free = (int)(p.MaxCmdSN - p.ExpCmdSN + 1);
        Assert.True(free > 0, $"{p}: ExpCmdSN {p.ExpCmdSN} MaxCmdSN {p.MaxCmdSN}");
    }

    [Fact]
    public async Task ProdModeWriteProtect_MakesAclLunsReadOnly()
    {
        const string initiator = "iqn.2025-01.org.sharpsan.test:prod";
        await using var h = await TestTarget.StartAsync((cfg, _) =>
        {
            var tpg = cfg.Targets[0].Tpgs[0];
            tpg.GenerateNodeAcls = false;
            tpg.ExtraAttributes["prod_mode_write_protect"] = System.Text.Json.Nodes.JsonValue.Create(1);
            var acl = new SharpSan.Config.NodeAclConfig { NodeWwn = initiator };
            acl.MappedLuns.Add(new SharpSan.Config.MappedLunConfig { Index = 0, TpgLun = 0 });
            tpg.NodeAcls.Add(acl);
        });
        using var c = h.LoginNormal(initiator);
        var rsp = c.Write10(0, new byte[512]);
        Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
        Assert.Equal((0x07, 0x27, 0x00), rsp.Sense); // DATA PROTECT, WRITE PROTECTED
    }

    [Fact]
    public async Task DefaultCmdsnDepthAttribute_SetsTheCommandWindow()
    {
        await using var h = await TestTarget.StartAsync((config, _) =>
            config.Targets[0].Tpgs[0].ExtraAttributes["default_cmdsn_depth"] = System.Text.Json.Nodes.JsonValue.Create(4));
        using var c = h.LoginNormal();
        c.SendCommand(TestUnitReady, 0);
        var rsp = c.Receive();
        Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
        // Four slots, all free again: a command gives its slot back before its response is stamped,
        // so the response already carries the whole window (as LIO's iscsit_increment_maxcmdsn does).
        Assert.Equal(4u, rsp.MaxCmdSN - rsp.ExpCmdSN + 1);
    }

    [Fact]
    public async Task CmdSNOutsideWindow_IsIgnored()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        uint bad = c.SendCommand(TestUnitReady, 0, cmdSN: c.CmdSN + 1000);
        uint good = c.SendCommand(TestUnitReady, 0); // CmdSN 1 == ExpCmdSN
        var rsp = c.Receive();
        Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
        Assert.Equal(good, rsp.Itt);
        Assert.Equal(2u, rsp.ExpCmdSN);
        c.Ack(rsp);
        // Nothing else was queued for the ignored command: the next PDU is the answer to a ping.
        var nop = c.NopOut(new byte[] { 1, 2, 3 });
        Assert.Equal(Opcode.NopIn, nop.Opcode);
        Assert.NotEqual(bad, nop.Itt);
        Assert.Equal(2u, nop.ExpCmdSN);
    }

    [Fact]
    public async Task DuplicateCmdSN_IsIgnored()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        Assert.Equal(0, c.Command(TestUnitReady).Byte3); // CmdSN 1
        c.SendCommand(TestUnitReady, 0, cmdSN: 1); // a duplicate, below ExpCmdSN
        uint good = c.SendCommand(TestUnitReady, 0); // CmdSN 2
        var rsp = c.Receive();
        Assert.Equal(good, rsp.Itt);
        Assert.Equal(3u, rsp.ExpCmdSN);
    }

    [Fact]
    public async Task Window_StaysOpen_AfterEveryResponse_WithPipelinedCommands()
    {
        await using var h = await TestTarget.StartAsync(options: new TargetOptions { CommandWindow = 8 });
        using var c = h.LoginNormal();
        var itts = new HashSet<uint>();
        for (int i = 0; i < 6; i++) itts.Add(c.SendCommand(TestUnitReady, 0));
        uint lastStat = c.ExpStatSN - 1;
        uint lastExp = 1;
        for (int i = 0; i < 6; i++)
        {
            var rsp = c.Receive();
            Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
            Assert.Equal(0, rsp.Byte3);
            Assert.True(itts.Remove(rsp.Itt));
            Assert.Equal(lastStat + 1, rsp.StatSN);
            lastStat = rsp.StatSN;
            AssertWindowOpen(rsp);
            Assert.InRange(rsp.ExpCmdSN, lastExp, 7u); // never moves back
            Assert.True(rsp.MaxCmdSN - rsp.ExpCmdSN + 1 <= 8);
            lastExp = rsp.ExpCmdSN;
            c.Ack(rsp);
        }
        var nop = c.NopOut(Array.Empty<byte>());
        Assert.Equal(7u, nop.ExpCmdSN);
        Assert.Equal(7u + 8 - 1, nop.MaxCmdSN); // all slots free again
    }

    [Fact]
    public async Task R2TWrite_WithInitialR2TAndNoImmediateData()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal(operational: StandardOperational(firstBurst: 4096, maxBurst: 4096, initialR2T: "Yes",
            immediateData: "No", maxOutstandingR2T: 2, mrdsl: 8192));
        Assert.Equal("Yes", c.Negotiated["InitialR2T"]);
        Assert.Equal("No", c.Negotiated["ImmediateData"]);
        Assert.Equal("2", c.Negotiated["MaxOutstandingR2T"]);
        var data = Pattern(16384, 3);
        uint itt = c.SendCommand(Cdb10(0x2A, 100, 32), 16384, write: true, final: true, lun: 0);

        var r2ts = new List<RawPdu>();
        void ExpectR2T(uint sn, uint offset)
        {
            var r = c.Receive();
            Assert.Equal(Opcode.ReadyToTransfer, r.Opcode);
            Assert.Equal(0x80, r.Flags);
            Assert.Equal(itt, r.Itt);
            Assert.Equal(0UL, r.Lun);
            Assert.NotEqual(Bhs.ReservedTag, r.Ttt);
            Assert.Equal(c.ExpStatSN, r.StatSN); // R2T does not advance StatSN
            Assert.Equal(2u, r.ExpCmdSN);
            AssertWindowOpen(r);
            Assert.Equal(sn, r.R2t.R2TSN);
            Assert.Equal(offset, r.R2t.BufferOffset);
            Assert.Equal(4096u, r.R2t.DesiredDataTransferLength); // <= MaxBurstLength
            r2ts.Add(r);
        }
        void Answer(RawPdu r)
        {
            int off = (int)r.R2t.BufferOffset;
            c.SendDataOut(itt, r.Ttt, 0, off, data.AsSpan(off, 2048), false);
            c.SendDataOut(itt, r.Ttt, 1, off + 2048, data.AsSpan(off + 2048, 2048), true);
        }

        ExpectR2T(0, 0);
        ExpectR2T(1, 4096);
        // At most MaxOutstandingR2T=2 outstanding: the next PDU is the answer to our ping, not a third R2T.
        var nop = c.NopOut(Array.Empty<byte>());
        Assert.Equal(Opcode.NopIn, nop.Opcode);
        c.Ack(nop);
        Answer(r2ts[0]);
        ExpectR2T(2, 8192);
        Answer(r2ts[1]);
        ExpectR2T(3, 12288);
        Assert.Equal(4, r2ts.Select(r => r.Ttt).Distinct().Count());
        Answer(r2ts[2]);
        Answer(r2ts[3]);
        var rsp = c.Receive();
        Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
        Assert.Equal(itt, rsp.Itt);
        Assert.Equal(0x80, rsp.Flags); // no residual
        Assert.Equal(0, rsp.Byte2);
        Assert.Equal(0, rsp.Byte3);
        Assert.Equal(0u, rsp.ScsiResponse.ResidualCount);
        c.Ack(rsp);

        var read = c.Read10(100, 32, 16384);
        Assert.Equal(data, Gather(read, 16384));
    }

    [Fact]
    public async Task UnsolicitedDataOut_UpToFirstBurstLength_ThenR2Ts()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal(operational: StandardOperational(firstBurst: 8192, maxBurst: 16384, initialR2T: "No",
            immediateData: "Yes", maxOutstandingR2T: 4));
        var data = Pattern(32768, 9);
        uint itt = c.SendCommand(Cdb10(0x2A, 200, 64), 32768, write: true, final: false, immediateData: data.AsSpan(0, 2048));
        c.SendDataOut(itt, Bhs.ReservedTag, 0, 2048, data.AsSpan(2048, 4096), false);
        c.SendDataOut(itt, Bhs.ReservedTag, 1, 6144, data.AsSpan(6144, 2048), true);
        var r0 = c.Receive();
        var r1 = c.Receive();
        Assert.Equal(Opcode.ReadyToTransfer, r0.Opcode);
        Assert.Equal(Opcode.ReadyToTransfer, r1.Opcode);
        Assert.Equal((0u, 8192u, 16384u), (r0.R2t.R2TSN, r0.R2t.BufferOffset, r0.R2t.DesiredDataTransferLength));
        Assert.Equal((1u, 24576u, 8192u), (r1.R2t.R2TSN, r1.R2t.BufferOffset, r1.R2t.DesiredDataTransferLength));
        c.SendDataOut(itt, r0.Ttt, 0, 8192, data.AsSpan(8192, 8192), false);
        c.SendDataOut(itt, r0.Ttt, 1, 16384, data.AsSpan(16384, 8192), true);
        c.SendDataOut(itt, r1.Ttt, 0, 24576, data.AsSpan(24576, 8192), true);
        var rsp = c.Receive();
        Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
        Assert.Equal(itt, rsp.Itt);
        Assert.Equal(0, rsp.Byte3);
        c.Ack(rsp);
        Assert.Equal(data, Gather(c.Read10(200, 64, 32768), 32768));
    }

    [Fact]
    public async Task ImmediateDataOnly_CompletesWithoutR2T()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var data = Pattern(4096, 5);
        uint itt = c.SendCommand(Cdb10(0x2A, 300, 8), 4096, write: true, final: true, immediateData: data);
        var rsp = c.Receive();
        Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
        Assert.Equal(itt, rsp.Itt);
        Assert.Equal(0, rsp.Byte3);
        c.Ack(rsp);
        Assert.Equal(data, Gather(c.Read10(300, 8, 4096), 4096));
    }

    [Fact]
    public async Task UnsolicitedDataBeyondFirstBurst_IsRejected()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal(operational: StandardOperational(firstBurst: 4096, maxBurst: 8192, initialR2T: "No"));
        var data = Pattern(8192, 1);
        uint itt = c.SendCommand(Cdb10(0x2A, 0, 16), 8192, write: true, final: false);
        var r2t = c.Receive(); // the R2T for [4096, 8192)
        Assert.Equal(Opcode.ReadyToTransfer, r2t.Opcode);
        Assert.Equal(4096u, r2t.R2t.BufferOffset);
        var bad = new byte[48];
        new DataOutPdu
        {
            Final = true, InitiatorTaskTag = itt, TargetTransferTag = Bhs.ReservedTag,
            BufferOffset = 4096, // past FirstBurstLength
        }.Encode(bad, 512);
        c.Send(bad, data.AsSpan(0, 512));
        var rej = c.Receive();
        Assert.Equal(Opcode.Reject, rej.Opcode);
        Assert.Equal(0x04, rej.Byte2);
        Assert.Equal(bad, rej.Data);
    }

    [Fact]
    public async Task DataOut_WithWrongDataSN_FailsTheCommand()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal(operational: StandardOperational(initialR2T: "Yes", immediateData: "No"));
        uint itt = c.SendCommand(Cdb10(0x2A, 0, 8), 4096, write: true);
        var r2t = c.Receive();
        Assert.Equal(Opcode.ReadyToTransfer, r2t.Opcode);
        c.SendDataOut(itt, r2t.Ttt, 5, 0, new byte[4096], true);
        var rsp = c.Receive();
        Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
        Assert.Equal(itt, rsp.Itt);
        Assert.Equal(0x02, rsp.Byte3);
        Assert.Equal((0x0B, 0x4B, 0x00), rsp.Sense);
    }

    [Fact]
    public async Task ReadLongerThanMaxBurst_DataInSequences()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal(operational: StandardOperational(firstBurst: 8192, maxBurst: 8192, mrdsl: 4096));
        var data = Pattern(20480, 7);
        Assert.Equal(0, c.Write10(400, data, segment: 4096).Byte3);
        uint expectedStat = c.ExpStatSN;
        var pdus = c.Read10(400, 40, 20480);
        Assert.Equal(5, pdus.Count);
        byte[] flags = { 0x00, 0x80, 0x00, 0x80, 0x81 };
        for (int i = 0; i < 5; i++)
        {
            var p = pdus[i];
            Assert.Equal(Opcode.DataIn, p.Opcode);
            Assert.Equal(flags[i], p.Flags);
            Assert.Equal((uint)i, p.DataIn.DataSN);
            Assert.Equal((uint)(i * 4096), p.DataIn.BufferOffset);
            Assert.Equal(4096, p.DataSegmentLength);
            Assert.Equal(Bhs.ReservedTag, p.Ttt);
            AssertWindowOpen(p);
        }
        Assert.Equal(0, pdus[4].Byte3); // GOOD
        Assert.Equal(expectedStat, pdus[4].StatSN);
        Assert.Equal(0u, pdus[4].DataIn.ResidualCount);
        Assert.Equal(data, Gather(pdus, 20480));
    }

    public static TheoryData<int, int, int, bool, string> LargeReads()
    {
        var data = new TheoryData<int, int, int, bool, string>();
        // ramdisk: gathered from the buffer; fileio on tmpfs: sendfile from the file (zero copy);
        // fileio on a disk file: preadv2(RWF_NOWAIT) or the pool, then gathered.
        foreach (var backing in new[] { "ramdisk", "tmpfs", "disk" })
        {
            data.Add(262144, 262144, 131072, false, backing); // one PDU
            data.Add(8192, 262144, 131072, true, backing); // 16 PDUs with header digests
            data.Add(4096, 16384, 65536, true, backing); // 16 PDUs over 4 bursts
            data.Add(8192, 65536, 262144, false, backing); // 32 PDUs: through the pipe
            data.Add(262144, 262144, 1048576, false, backing); // 1 MiB in 4 bursts: gathered (tmpfs: sendfile, no size limit)
            data.Add(8192, 262144, 1048576, true, backing); // 1 MiB in 128 PDUs: the pool, then the pipe
        }
        return data;
    }

    /// <summary>Large reads leave in one gathered send (headers and buffer slices, or headers and file
    /// ranges by sendfile) when there is no data digest and at most 16 PDUs, through the send pipe
    /// otherwise: the PDUs must be the same on every path.</summary>
    [Theory]
    [MemberData(nameof(LargeReads))]
    public async Task Large_reads_have_exact_DataIn_sequences_on_every_send_path(int mrdsl, int maxBurst, int length, bool headerDigest, string backing)
    {
        using var dir = new TempDirectory(backing == "tmpfs" ? TempDirectory.Tmpfs : null, "sharpsan-large-");
        await using var h = await TestTarget.StartAsync((config, _) =>
        {
            if (backing == "ramdisk") return;
            var so = config.StorageObjects[0];
            so.Plugin = "fileio";
            so.Dev = dir.File("lun.img");
            so.WriteBack = true;
            config.Targets[0].Tpgs[0].Luns[0].StorageObject = so.Path;
        });
        var operational = StandardOperational(firstBurst: 65536, maxBurst: maxBurst, mrdsl: mrdsl);
        if (headerDigest) operational[0] = "HeaderDigest=CRC32C";
        using var c = h.LoginNormal(operational: operational);
        Assert.Equal(headerDigest, c.HeaderDigest);
        var data = Pattern(length, length / 1024 + mrdsl);
        Assert.Equal(0, c.Write10(1000, data).Byte3);
        uint expectedStat = c.ExpStatSN;
        var pdus = c.Read10(1000, (ushort)(length / 512), (uint)length);
        int segment = Math.Min(Math.Min(mrdsl, maxBurst), length);
        Assert.Equal(length / segment, pdus.Count);
        for (int i = 0; i < pdus.Count; i++)
        {
            var p = pdus[i];
            bool last = i == pdus.Count - 1;
            bool burstEnd = last || (i + 1) * segment % maxBurst == 0;
            Assert.Equal(Opcode.DataIn, p.Opcode);
            Assert.Equal((byte)((burstEnd ? 0x80 : 0) | (last ? 0x01 : 0)), p.Flags);
            Assert.Equal((uint)i, p.DataIn.DataSN);
            Assert.Equal((uint)(i * segment), p.DataIn.BufferOffset);
            Assert.Equal(segment, p.DataSegmentLength);
        }
        Assert.Equal(expectedStat, pdus[^1].StatSN);
        Assert.Equal(data, Gather(pdus, length));
        // The connection is still in step: a small command after the large read works.
        Assert.Equal(data.AsSpan(0, 512).ToArray(), Gather(c.Read10(1000, 1, 512), 512));
    }

    [Fact]
    public async Task Read_WithSmallerEdtl_IsOverflow()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var data = Pattern(4096, 11);
        Assert.Equal(0, c.Write10(500, data).Byte3);
        var pdus = c.Read10(500, 8, 2048);
        var last = pdus[^1];
        Assert.Equal(Opcode.DataIn, last.Opcode);
        Assert.Equal(0x80 | 0x01 | 0x04, last.Flags); // F, S, O
        Assert.Equal(2048u, last.DataIn.ResidualCount);
        Assert.Equal(2048, pdus.Sum(p => p.DataSegmentLength));
        Assert.Equal(data.AsSpan(0, 2048).ToArray(), Gather(pdus, 2048));
    }

    [Fact]
    public async Task Read_WithLargerEdtl_IsUnderflow()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var data = Pattern(4096, 13);
        Assert.Equal(0, c.Write10(600, data).Byte3);
        var pdus = c.Read10(600, 8, 8192);
        var last = pdus[^1];
        Assert.Equal(0x80 | 0x01 | 0x02, last.Flags); // F, S, U
        Assert.Equal(4096u, last.DataIn.ResidualCount);
        Assert.Equal(4096, pdus.Sum(p => p.DataSegmentLength));
        Assert.Equal(data, Gather(pdus, 4096));
    }

    [Fact]
    public async Task Write_WithLargerEdtl_ResponseHasUnderflow()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var data = Pattern(4096, 2);
        // WRITE(10) of 4 blocks (2048 bytes) with EDTL 4096 and 4096 immediate bytes: the CDB wants only 2048.
        uint itt = c.SendCommand(Cdb10(0x2A, 700, 4), 4096, write: true, final: true, immediateData: data.AsSpan(0, 4096));
        var rsp = c.Receive();
        Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
        Assert.Equal(itt, rsp.Itt);
        Assert.Equal(0, rsp.Byte3);
        Assert.Equal(0x80 | 0x02, rsp.Flags);
        Assert.Equal(2048u, rsp.ScsiResponse.ResidualCount);
    }

    [Fact]
    public async Task InvalidOpcode_GetsCheckConditionIllegalRequest()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var cdb = new byte[16];
        cdb[0] = 0xC7;
        var rsp = c.Command(cdb);
        Assert.Equal(0x80, rsp.Flags);
        Assert.Equal(0x00, rsp.Byte2); // command completed at target
        Assert.Equal(0x02, rsp.Byte3); // CHECK CONDITION
        Assert.Equal((0x05, 0x20, 0x00), rsp.Sense);
        Assert.Equal(BinaryPrimitives.ReadUInt16BigEndian(rsp.Data) + 2, rsp.DataSegmentLength);
    }

    [Fact]
    public async Task UnmappedLun_GetsCheckCondition()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var rsp = c.Command(TestUnitReady, lun: 9);
        Assert.Equal(0x02, rsp.Byte3);
        Assert.Equal(0x05, rsp.Sense.Key);
        Assert.Equal(0x25, rsp.Sense.Asc); // LOGICAL UNIT NOT SUPPORTED
    }

    [Fact]
    public async Task NopOutPing_IsEchoed()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var ping = "are you there? 0123456789"u8.ToArray();
        uint expectedStat = c.ExpStatSN;
        var rsp = c.NopOut(ping, itt: 0xABCD);
        Assert.Equal(Opcode.NopIn, rsp.Opcode);
        Assert.Equal(0x80, rsp.Flags);
        Assert.Equal(0xABCDu, rsp.Itt);
        Assert.Equal(Bhs.ReservedTag, rsp.Ttt);
        Assert.Equal(expectedStat, rsp.StatSN);
        Assert.Equal(1u, rsp.ExpCmdSN);
        Assert.Equal(ping, rsp.Data);
        c.Ack(rsp);
        var second = c.NopOut(Array.Empty<byte>());
        Assert.Equal(expectedStat + 1, second.StatSN);
        Assert.Empty(second.Data);
    }

    [Fact]
    public async Task TargetNopIn_PingsIdleConnection_AndAnswersKeepItAlive()
    {
        await using var h = await TestTarget.StartAsync(options: new TargetOptions
        {
            NopInInterval = TimeSpan.FromMilliseconds(200),
            NopInTimeout = TimeSpan.FromSeconds(60),
        });
        using var c = h.LoginNormal();
        var seen = new HashSet<uint>();
        for (int i = 0; i < 2; i++)
        {
            var p = c.Receive(); // within the 15 s socket timeout
            Assert.Equal(Opcode.NopIn, p.Opcode);
            Assert.Equal(0x80, p.Flags);
            Assert.Equal(Bhs.ReservedTag, p.Itt);
            Assert.NotEqual(Bhs.ReservedTag, p.Ttt);
            Assert.Equal(c.ExpStatSN, p.StatSN); // not advanced
            Assert.Equal(0, p.DataSegmentLength);
            Assert.True(seen.Add(p.Ttt));
            // A new ping only follows an answered one: the second proves our answer was matched.
            c.AnswerPing(p);
        }
    }

    [Fact]
    public async Task TargetNopIn_Unanswered_DropsConnection()
    {
        await using var h = await TestTarget.StartAsync(options: new TargetOptions
        {
            NopInInterval = TimeSpan.FromMilliseconds(200),
            NopInTimeout = TimeSpan.FromMilliseconds(800),
        });
        using var c = h.LoginNormal();
        var first = c.Receive();
        Assert.Equal(Opcode.NopIn, first.Opcode);
        Assert.Equal(Bhs.ReservedTag, first.Itt);
        c.ReceiveTimeoutMs = 20000;
        Assert.True(c.WaitForClose());
    }

    [Fact]
    public async Task Logout_Reason0_RespondsThenCloses()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        Assert.Equal(0, c.Command(TestUnitReady).Byte3);
        uint expectedStat = c.ExpStatSN;
        var rsp = c.Logout(0);
        Assert.Equal(Opcode.LogoutResponse, rsp.Opcode);
        Assert.Equal(0x80, rsp.Flags);
        Assert.Equal(0, rsp.Byte2);
        Assert.Equal(expectedStat, rsp.StatSN);
        Assert.Equal(2u, rsp.ExpCmdSN);
        Assert.True(c.WaitForClose());
    }

    [Fact]
    public async Task Logout_CloseConnection_WithWrongCid_IsCidNotFound()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var rsp = c.Logout(1, cid: 5);
        Assert.Equal(Opcode.LogoutResponse, rsp.Opcode);
        Assert.Equal(1, rsp.Byte2);
        // The connection goes on.
        Assert.Equal(0, c.Command(TestUnitReady).Byte3);
        var ok = c.Logout(1, cid: 0);
        Assert.Equal(0, ok.Byte2);
        Assert.True(c.WaitForClose());
    }

    [Fact]
    public async Task Logout_RemoveForRecovery_IsNotSupported()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var rsp = c.Logout(2);
        Assert.Equal(2, rsp.Byte2);
    }

    [Fact]
    public async Task SessionReinstatement_ClosesTheOldConnection()
    {
        await using var h = await TestTarget.StartAsync();
        using var old = h.LoginNormal(isid: 0x80000000AAAA);
        Assert.Equal(0, old.Command(TestUnitReady).Byte3);
        using var other = h.LoginNormal(isid: 0x80000000BBBB); // a different ISID is a different session
        using var fresh = h.LoginNormal(isid: 0x80000000AAAA);
        Assert.True(old.WaitForClose());
        // The reinstated session's I_T nexus was lost (SAM-5 6.3.4): its first command hears of it.
        Assert.Equal((0x06, 0x29, 0x07), fresh.Command(TestUnitReady).Sense);
        Assert.Equal(0, fresh.Command(TestUnitReady).Byte3);
        Assert.Equal(Opcode.NopIn, other.NopOut(new byte[] { 9 }).Opcode);
    }

    [Fact]
    public async Task SameIsid_DifferentInitiatorName_IsNotReinstatement()
    {
        await using var h = await TestTarget.StartAsync();
        using var a = h.LoginNormal("iqn.2025-01.org.sharpsan.test:a", 0x80000000AAAA);
        using var b = h.LoginNormal("iqn.2025-01.org.sharpsan.test:b", 0x80000000AAAA);
        Assert.Equal(Opcode.NopIn, a.NopOut(new byte[] { 1 }).Opcode);
        Assert.Equal(Opcode.NopIn, b.NopOut(new byte[] { 1 }).Opcode);
    }

    [Fact]
    public async Task LoginPdu_InFullFeature_IsRejected()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var hdr = new byte[48];
        new LoginRequestPdu
        {
            Transit = true, CurrentStage = LoginStage.LoginOperationalNegotiation, NextStage = LoginStage.FullFeaturePhase, InitiatorTaskTag = 0x999,
        }.Encode(hdr, 0);
        c.Send(hdr, ReadOnlySpan<byte>.Empty);
        var rej = c.Receive();
        Assert.Equal(Opcode.Reject, rej.Opcode);
        Assert.Equal(0x04, rej.Byte2);
        Assert.Equal(hdr, rej.Data);
    }

    [Fact]
    public async Task Snack_AtErl0_IsRejected_UnknownOpcode_IsCommandNotSupported()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var snack = new byte[48];
        new SnackRequestPdu { Type = SnackType.DataR2T, InitiatorTaskTag = Bhs.ReservedTag }.Encode(snack, 0);
        c.Send(snack, ReadOnlySpan<byte>.Empty);
        var r1 = c.Receive();
        Assert.Equal(Opcode.Reject, r1.Opcode);
        Assert.Equal(0x04, r1.Byte2);
        c.Ack(r1);

        var odd = new byte[48];
        odd[0] = 0x1C; // no such initiator opcode
        odd[1] = 0x80;
        c.Send(odd, ReadOnlySpan<byte>.Empty);
        var r2 = c.Receive();
        Assert.Equal(Opcode.Reject, r2.Opcode);
        Assert.Equal(0x05, r2.Byte2);
        Assert.Equal(r1.StatSN + 1, r2.StatSN);
    }

    [Fact]
    public async Task DataOut_OutsideItsR2T_IsRejectedInvalidPduField()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal(operational: StandardOperational(initialR2T: "Yes", immediateData: "No", maxBurst: 4096, firstBurst: 4096));
        var data = Pattern(8192, 4);
        uint itt = c.SendCommand(Cdb10(0x2A, 800, 16), 8192, write: true);
        var r0 = c.Receive();
        var r1 = c.Receive();
        Assert.Equal((0u, 4096u), (r0.R2t.BufferOffset, r1.R2t.BufferOffset));
        var bad = new byte[48];
        new DataOutPdu
        {
            Final = true, InitiatorTaskTag = itt, TargetTransferTag = r0.Ttt,
            BufferOffset = 4096, // belongs to the second R2T, not the first
        }.Encode(bad, 512);
        c.Send(bad, data.AsSpan(0, 512));
        var rej = c.Receive();
        Assert.Equal(Opcode.Reject, rej.Opcode);
        Assert.Equal(0x09, rej.Byte2);
        Assert.Equal(bad, rej.Data);
        c.Ack(rej);
        // The command still completes with correct Data-Out.
        c.SendDataOut(itt, r0.Ttt, 0, 0, data.AsSpan(0, 4096), true);
        c.SendDataOut(itt, r1.Ttt, 0, 4096, data.AsSpan(4096, 4096), true);
        var rsp = c.Receive();
        Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
        Assert.Equal(0, rsp.Byte3);
        c.Ack(rsp);
        Assert.Equal(data, Gather(c.Read10(800, 16, 8192), 8192));
    }

    [Fact]
    public async Task Command_WithReservedItt_IsRejectedInvalidPduField()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.LoginNormal();
        var hdr = c.CommandHeader(TestUnitReady, 0, false, false, true, 0, itt: Bhs.ReservedTag);
        c.Send(hdr, ReadOnlySpan<byte>.Empty);
        var rej = c.Receive();
        Assert.Equal(Opcode.Reject, rej.Opcode);
        Assert.Equal(0x09, rej.Byte2);
        Assert.Equal(hdr, rej.Data);
        c.Ack(rej);
        // Its CmdSN was consumed: the next command (CmdSN 2) is served.
        Assert.Equal(0, c.Command(TestUnitReady).Byte3);
    }
}
