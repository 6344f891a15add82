using System.Buffers.Binary;
using SharpSan.Protocol;

namespace SharpSan.Interop.Tests;

/// <summary>
/// 32-byte CDBs on the wire (RFC 7143 §11.2.2.3 Extended CDB AHS) against sharpsand: WRITE SAME(32)
/// (SBC-4, 7Fh/000Dh) writes and deallocates on a LUN, with and without header digests; a malformed AHS
/// is rejected and the session goes on; bidirectional commands are refused.
/// </summary>
[Collection("target")]
public sealed class ExtendedCdbTests
{
    private const string Initiator = "iqn.2026-11.io.sharpsan.test:ecdb";
    private const int ThinLun = 5; // /backstores/fileio/thin: LBPWS=1
    private readonly TargetFixture _f;

    public ExtendedCdbTests(TargetFixture fixture) => _f = fixture;

    private static byte[] WriteSame32(ulong lba, uint blocks, byte flags = 0)
    {
        var cdb = new byte[32];
        cdb[0] = 0x7F;
        cdb[7] = 0x18;
        cdb[9] = 0x0D;
        cdb[10] = flags;
        BinaryPrimitives.WriteUInt64BigEndian(cdb.AsSpan(12), lba);
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(28), blocks);
        return cdb;
    }

    private static byte[] Block(int seed)
    {
        var b = new byte[512];
        new Random(seed).NextBytes(b);
        return b;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Write_same_32_writes_its_block_over_the_range(bool digests)
    {
        using var c = new RawInitiator(_f.Port);
        Assert.Equal(0, c.Login(Initiator, TargetFixture.Open, digests));
        uint lba = digests ? 90_000u : 91_000u;
        byte[] block = Block((int)lba);
        var (_, status) = c.Execute(WriteSame32(lba, 64), 512, read: false, write: true, block, lun: ThinLun);
        Assert.Equal(Opcode.ScsiResponse, status.Opcode);
        Assert.Equal(0, status.Byte3);

        var (data, final) = c.Read10(lba - 1, 66 * 512, lun: ThinLun);
        Assert.Equal(0, final.Byte3);
        for (int i = 1; i <= 64; i++)
        {
            Assert.Equal(block, data.AsSpan(i * 512, 512).ToArray());
        }

        Assert.NotEqual(block, data.AsSpan(0, 512).ToArray());
        Assert.NotEqual(block, data.AsSpan(65 * 512, 512).ToArray());
    }

    [Fact]
    public void Write_same_32_with_unmap_and_ndob_deallocates_and_reads_zeros()
    {
        using var c = new RawInitiator(_f.Port);
        Assert.Equal(0, c.Login(Initiator, TargetFixture.Open, digests: false));
        const uint Lba = 92_000;
        Assert.Equal(0, c.Execute(WriteSame32(Lba, 32), 512, false, true, Block(5), lun: ThinLun).Final.Byte3);
        var unmap = c.Execute(WriteSame32(Lba, 16, 0x08 | 0x01), 0, false, false, lun: ThinLun).Final; // UNMAP, NDOB
        Assert.Equal(0, unmap.Byte3);
        var (data, _) = c.Read10(Lba, 32 * 512, lun: ThinLun);
        Assert.All(data.AsSpan(0, 16 * 512).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(Block(5), data.AsSpan(16 * 512, 512).ToArray());
    }

    [Fact]
    public void A_32_byte_cdb_without_its_ahs_is_invalid_field_in_cdb()
    {
        using var c = new RawInitiator(_f.Port);
        Assert.Equal(0, c.Login(Initiator, TargetFixture.Open, digests: false));
        var rsp = c.Execute(WriteSame32(0, 1)[..16], 512, false, true, new byte[512], lun: ThinLun).Final;
        Assert.Equal(0x02, rsp.Byte3); // CHECK CONDITION
        Assert.Equal((5, 0x24, 0x00), rsp.Sense);
    }

    [Fact]
    public void A_malformed_ahs_is_rejected_and_the_session_goes_on()
    {
        using var c = new RawInitiator(_f.Port);
        Assert.Equal(0, c.Login(Initiator, TargetFixture.Open, digests: true));
        var h = c.CommandHeader(WriteSame32(0, 1), 0, false, false, true, 0, lun: ThinLun);
        h[48 + 2] = 0x03; // AHS type 3: reserved
        c.Send(h, ReadOnlySpan<byte>.Empty);
        var reject = c.ReceiveSkippingPings();
        Assert.Equal(Opcode.Reject, reject.Opcode);
        Assert.Equal((byte)RejectReason.InvalidPduField, reject.Byte2);
        Assert.Equal(h, reject.Data); // the whole header: BHS and AHS
        c.Ack(reject);

        // The rejected command's CmdSN was consumed: the next one is served.
        var (_, final) = c.Read10(0, 512, lun: ThinLun);
        Assert.Equal(0, final.Byte3);
    }

    [Fact]
    public void A_bidirectional_command_is_refused_with_check_condition()
    {
        using var c = new RawInitiator(_f.Port);
        Assert.Equal(0, c.Login(Initiator, TargetFixture.Open, digests: false));
        var h = c.CommandHeader(RawInitiator.Cdb10(0x28, 0, 1), 512, read: true, write: true, final: true, 0, lun: ThinLun, bidirectionalReadLength: 512);
        Assert.Equal(2, h[4]); // the bidirectional read length AHS: 2 words
        c.Send(h, ReadOnlySpan<byte>.Empty);
        var rsp = c.ReceiveSkippingPings();
        c.Ack(rsp);
        Assert.Equal(Opcode.ScsiResponse, rsp.Opcode);
        Assert.Equal(0x02, rsp.Byte3);
        Assert.Equal(5, rsp.Sense.Key);
        Assert.Equal(0, c.Read10(0, 512, lun: ThinLun).Final.Byte3);
    }
}
