using System.Buffers;

namespace SharpSan.Protocol.Tests;

/// <summary>The AHS of a SCSI Command (RFC 7143 §11.2.2): Extended CDB (§11.2.2.3) and Bidirectional Read
/// Expected Data Transfer Length (§11.2.2.4), against hand-written bytes.</summary>
public class ScsiCommandAhsTests
{
    /// <summary>WRITE SAME(32) (SBC-4: 7Fh, ADDITIONAL CDB LENGTH 18h, service action 000Dh), LBA 0x1122, 7 blocks.</summary>
    private static readonly byte[] WriteSame32 = Convert.FromHexString(
        "7F00000000000018" + "000D0000" + "0000000000001122" + "00000000" + "0000" + "0000" + "00000007");

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    [Fact]
    public void A_32_byte_cdb_is_sent_as_the_bhs_and_a_20_byte_extended_cdb_ahs()
    {
        Assert.Equal(32, WriteSame32.Length);
        var pdu = new ScsiCommandPdu { Final = true, Write = true, InitiatorTaskTag = 0x10, ExpectedDataTransferLength = 512, Cdb = WriteSame32 };
        Assert.Equal(48 + 20, pdu.HeaderLength);
        var header = new byte[68];
        Array.Fill(header, (byte)0xEE);
        pdu.Encode(header, 512);
        Assert.Equal(5, header[4]); // TotalAHSLength: 5 words
        Assert.Equal(WriteSame32[..16], header[32..48]);
        // AHSLength 0011h (32 - 15: the 16 extra CDB bytes and the reserved byte), AHSType 1, reserved, CDB 16-31.
        Assert.Equal(Hex("0011 01 00 00001122 00000000 0000 0000 00000007"), header[48..]);
    }

    [Fact]
    public void A_cdb_that_does_not_end_on_a_word_is_padded()
    {
        // 18-byte CDB: AHSLength 3 (2 CDB bytes + reserved), 3 + 3 = 6 bytes, padded to 8.
        byte[] cdb = Enumerable.Range(1, 18).Select(i => (byte)i).ToArray();
        var header = new byte[56];
        Array.Fill(header, (byte)0xEE);
        new ScsiCommandPdu { Cdb = cdb }.Encode(header, 0);
        Assert.Equal(2, header[4]);
        Assert.Equal(Hex("0003 01 00 11 12 00 00"), header[48..]);
    }

    [Fact]
    public void A_16_byte_cdb_has_no_ahs()
    {
        var pdu = new ScsiCommandPdu { Cdb = new byte[16] };
        Assert.Equal(48, pdu.HeaderLength);
        var header = new byte[48];
        pdu.Encode(header, 0);
        Assert.Equal(0, header[4]);
    }

    [Fact]
    public void The_bidirectional_read_length_ahs_follows_the_extended_cdb()
    {
        var header = new byte[48 + 20 + 8];
        new ScsiCommandPdu { Read = true, Write = true, Cdb = WriteSame32, BidirectionalReadExpectedDataTransferLength = 0x00012345 }.Encode(header, 0);
        Assert.Equal(7, header[4]);
        Assert.Equal(Hex("0005 02 00 00012345"), header[68..]);

        Assert.True(ScsiCommandAhs.TryDecode(header.AsSpan(48), out var ahs, out string? problem), problem);
        Assert.Equal(WriteSame32[16..], ahs.ExtendedCdb.ToArray());
        Assert.True(ahs.HasBidirectionalReadLength);
        Assert.Equal(0x00012345u, ahs.BidirectionalReadExpectedDataTransferLength);
    }

    [Fact]
    public void Golden_extended_cdb_ahs_decodes_to_the_cdb_tail()
    {
        byte[] ahs = Hex("0011 01 00 00001122 00000000 0000 0000 00000007");
        Assert.True(ScsiCommandAhs.TryDecode(ahs, out var decoded, out _));
        Assert.Equal(WriteSame32[16..], decoded.ExtendedCdb.ToArray());
        Assert.False(decoded.HasBidirectionalReadLength);

        // Reserved bits of AHSType and the reserved byte are ignored on receipt.
        ahs[2] = 0xC1;
        ahs[3] = 0xFF;
        Assert.True(ScsiCommandAhs.TryDecode(ahs, out decoded, out _));
        Assert.Equal(16, decoded.ExtendedCdb.Length);
    }

    [Fact]
    public void An_empty_ahs_decodes_to_nothing()
    {
        Assert.True(ScsiCommandAhs.TryDecode(ReadOnlySpan<byte>.Empty, out var decoded, out _));
        Assert.True(decoded.ExtendedCdb.IsEmpty);
        Assert.False(decoded.HasBidirectionalReadLength);
    }

    [Theory]
    [InlineData("0015 01 00 00001122 00000000 0000 0000 00000007", "AHSLength past the AHS bytes")]
    [InlineData("0000 01 00", "AHSLength 0")]
    [InlineData("0001 01 00", "Extended CDB for a 16-byte CDB")]
    [InlineData("0005 00 00 00000000", "reserved AHS type 0")]
    [InlineData("0005 03 00 00000000", "reserved AHS type 3")]
    [InlineData("0005 3F 00 00000000", "non-iSCSI extension type 63")]
    [InlineData("0004 02 00 00000000", "bidirectional length AHS of AHSLength 4")]
    [InlineData("0009 02 00 00000000 00000000", "bidirectional length AHS of AHSLength 9")]
    [InlineData("0005 02 00 00000001 0005 02 00 00000002", "two bidirectional length AHS")]
    [InlineData("0003 01 00 11 12 00 00 0003 01 00 13 14 00 00", "two Extended CDB AHS")]
    [InlineData("0003 01 00 11 12 00 00 0000 00 00", "a zero word after the last AHS")]
    public void Malformed_ahs_is_refused(string hex, string why)
    {
        Assert.False(ScsiCommandAhs.TryDecode(Hex(hex), out _, out string? problem), why);
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void The_writer_sends_the_ahs_and_covers_it_with_the_header_digest(bool headerDigest, bool dataDigest)
    {
        var header = new byte[68];
        new ScsiCommandPdu { Final = true, Write = true, InitiatorTaskTag = 7, ExpectedDataTransferLength = 512, Cdb = WriteSame32 }.Encode(header, 5);
        var w = new ArrayBufferWriter<byte>();
        PduWriter.Write(w, header, new byte[] { 1, 2, 3, 4, 5 }, headerDigest, dataDigest);
        byte[] wire = w.WrittenSpan.ToArray();
        Assert.Equal(68 + (headerDigest ? 4 : 0) + 8 + (dataDigest ? 4 : 0), wire.Length);
        Assert.Equal(header, wire[..68]);
        if (headerDigest)
        {
            Assert.Equal(IscsiCrc32C.Compute(header), BitConverter.ToUInt32(wire, 68));
        }

        Assert.True(PduReader.TryRead(new ReadOnlySequence<byte>(wire), new PduLimits(8192, headerDigest, dataDigest), out var frame, out bool ok));
        Assert.True(ok);
        Assert.Equal(header[48..], frame.Ahs.ToArray());
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, frame.Data.ToArray());
        Assert.True(ScsiCommandAhs.TryDecode(frame.Ahs.ToArray(), out var ahs, out _));
        Assert.Equal(WriteSame32, ScsiCommandPdu.Decode(frame.Header.ToArray()).Cdb.ToArray().Concat(ahs.ExtendedCdb.ToArray()).ToArray());
    }

    [Fact]
    public void Encode_refuses_a_header_buffer_without_room_for_the_ahs()
    {
        Assert.Throws<ArgumentException>(() => new ScsiCommandPdu { Cdb = WriteSame32 }.Encode(new byte[48], 0));
    }
}
