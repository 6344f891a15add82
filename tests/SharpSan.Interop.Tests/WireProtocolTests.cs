using System.Buffers.Binary;
using SharpSan.Protocol;

namespace SharpSan.Interop.Tests;

/// <summary>
/// Exact PDU-level behaviour with a hand-driven initiator: header and data digests, R2T sequences,
/// faults that must be answered precisely (Reject, dropped connection) without harming other sessions.
/// </summary>
[Collection("target")]
public sealed class WireProtocolTests
{
    private const string Initiator = "iqn.2026-11.io.sharpsan.test:raw";
    private readonly TargetFixture _f;

    public WireProtocolTests(TargetFixture fixture) => _f = fixture;

    private static byte[] Pattern(int length, int seed)
    {
        var b = new byte[length];
        new Random(seed).NextBytes(b);
        return b;
    }

    [Fact]
    public void Header_and_data_digests_with_immediate_unsolicited_and_solicited_data()
    {
        using var c = new RawInitiator(_f.Port);
        Assert.Equal(0, c.Login(Initiator, TargetFixture.Open, digests: true));
        Assert.True(c.HeaderDigest && c.DataDigest, "CRC32C digests were not negotiated");
        var data = Pattern(512 * 1024, 7); // beyond FirstBurstLength: immediate + unsolicited + R2T bursts
        var status = c.Write10(100, data);
        Assert.Equal(Opcode.ScsiResponse, status.Opcode);
        Assert.Equal(0, status.Header[3]);
        var (back, final) = c.Read10(100, data.Length);
        Assert.Equal(0, final.Header[3]);
        Assert.Equal(data, back);
    }

    [Fact]
    public void Corrupt_data_digest_is_rejected_the_connection_closes_and_nothing_is_written()
    {
        var before = Pattern(128 * 1024, 8);
        using (var setup = new RawInitiator(_f.Port))
        {
            Assert.Equal(0, setup.Login(Initiator, TargetFixture.Open, digests: true));
            Assert.Equal(0, setup.Write10(2000, before).Header[3]);
        }
        using (var c = new RawInitiator(_f.Port))
        {
            Assert.Equal(0, c.Login(Initiator, TargetFixture.Open, digests: true));
            var reply = c.Write10(2000, Pattern(128 * 1024, 9), corruptSolicitedDigest: true);
            Assert.Equal(Opcode.Reject, reply.Opcode);
            Assert.Equal(0x02, reply.Header[2]); // data digest error (RFC 7143 §11.17.1)
            Assert.True(c.WaitForClose());
        }
        using var check = new RawInitiator(_f.Port);
        Assert.Equal(0, check.Login(Initiator, TargetFixture.Open, digests: false));
        var (back, _) = check.Read10(2000, before.Length);
        Assert.Equal(before, back);
    }

    [Fact]
    public void Corrupt_header_digest_drops_the_connection_and_other_sessions_go_on()
    {
        using var bystander = new RawInitiator(_f.Port);
        Assert.Equal(0, bystander.Login(Initiator + "-b", TargetFixture.Open, digests: false));
        using var c = new RawInitiator(_f.Port);
        Assert.Equal(0, c.Login(Initiator, TargetFixture.Open, digests: true));
        var h = c.CommandHeader(RawInitiator.Cdb10(0x00, 0, 0), 0, false, false, true, 0); // TEST UNIT READY
        var bytes = new byte[52];
        h.CopyTo(bytes, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(48), IscsiCrc32C.Compute(h) ^ 1);
        c.SendRaw(bytes);
        Assert.True(c.WaitForClose());
        var (_, final) = bystander.Read10(0, 4096);
        Assert.Equal(0, final.Header[3]);
    }

    [Fact]
    public void Oversized_data_segment_closes_the_connection()
    {
        using var c = new RawInitiator(_f.Port);
        Assert.Equal(0, c.Login(Initiator, TargetFixture.Open, digests: false));
        var h = c.CommandHeader(RawInitiator.Cdb10(0x2A, 0, 1), 512, false, true, true, 0);
        Bhs.WriteDataSegmentLength(h, 16 * 1024 * 1024 - 1);
        c.SendRaw(h);
        Assert.True(c.WaitForClose());
    }

    [Fact]
    public void Unknown_opcode_gets_a_reject_and_the_session_continues()
    {
        using var c = new RawInitiator(_f.Port);
        Assert.Equal(0, c.Login(Initiator, TargetFixture.Open, digests: false));
        var h = new byte[48];
        h[0] = 0x40 | 0x1C; // I bit + an opcode no PDU type has
        h[1] = 0x80;
        c.Send(h, ReadOnlySpan<byte>.Empty, false, false);
        var reply = c.Receive();
        Assert.Equal(Opcode.Reject, reply.Opcode);
        Assert.Equal(0x05, reply.Header[2]); // command not supported
        Assert.Equal(h, reply.Data);
        var (_, final) = c.Read10(0, 512);
        Assert.Equal(0, final.Header[3]);
    }

    [Fact]
    public void Nop_out_ping_is_echoed()
    {
        using var c = new RawInitiator(_f.Port);
        Assert.Equal(0, c.Login(Initiator, TargetFixture.Open, digests: true));
        var ping = Pattern(1000, 10);
        var pong = c.NopOut(ping);
        Assert.Equal(Opcode.NopIn, pong.Opcode);
        Assert.Equal(ping, pong.Data);
        Assert.Equal(0xFFFFFFFFu, NopInPdu.Decode(pong.Header).TargetTransferTag);
    }

    [Fact]
    public void Read_beyond_capacity_is_check_condition_lba_out_of_range()
    {
        using var c = new RawInitiator(_f.Port);
        Assert.Equal(0, c.Login(Initiator, TargetFixture.Open, digests: false));
        uint blocks = (uint)((64L << 20) / 512);
        var h = c.CommandHeader(RawInitiator.Cdb10(0x28, blocks - 1, 2), 1024, true, false, true, 0, lun: 1);
        c.Send(h, ReadOnlySpan<byte>.Empty, false, false);
        var rsp = c.Receive();
        Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
        Assert.Equal(0x02, rsp.Header[3]);
        int senseLength = BinaryPrimitives.ReadUInt16BigEndian(rsp.Data);
        var sense = rsp.Data.AsSpan(2, senseLength);
        Assert.Equal(0x05, sense[2] & 0x0F); // ILLEGAL REQUEST
        Assert.Equal(0x21, sense[12]);       // LOGICAL BLOCK ADDRESS OUT OF RANGE
    }

    [Fact]
    public void Write_to_a_write_protected_mapping_is_data_protect()
    {
        using var c = new RawInitiator(_f.Port);
        Assert.Equal(0, c.Login(TargetFixture.Reader, TargetFixture.Guarded, digests: false));
        var status = c.Write10(0, new byte[4096]);
        Assert.Equal(Opcode.ScsiResponse, status.Opcode);
        Assert.Equal(0x02, status.Header[3]);
        var sense = status.Data.AsSpan(2);
        Assert.Equal(0x07, sense[2] & 0x0F); // DATA PROTECT
        Assert.Equal(0x27, sense[12]);       // WRITE PROTECTED
    }

    [Fact]
    public void Login_to_an_unknown_target_answers_0201()
    {
        using var c = new RawInitiator(_f.Port);
        Assert.Equal(0x0201, c.Login(Initiator, "iqn.2026-11.io.sharpsan.test:absent", digests: false));
    }
}
