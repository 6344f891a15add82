using System.Buffers.Binary;
using SharpSan.Scsi.Reporting;
using static SharpSan.Scsi.Tests.ProvisioningCdb;

namespace SharpSan.Scsi.Tests;

/// <summary>WRITE SAME(32) (SBC-4; variable length CDB 7Fh, service action 000Dh, SPC-4 4.2.3): the same
/// command as WRITE SAME(16) with its fields elsewhere, and the variable length CDB's own rules (CONTROL in
/// byte 1, ADDITIONAL CDB LENGTH, 16-bit service action).</summary>
public class WriteSame32Tests
{
    private static byte[] Block(byte value) => Enumerable.Repeat(value, 512).ToArray();

    [Fact]
    public void The_block_is_written_to_every_block_of_the_range()
    {
        var backstore = new ThinMemoryBackstore();
        var harness = backstore.Harness(LogicalBlockProvisioningSettings.FullyProvisioned);
        byte[] block = Harness.Pattern(512, 32);
        harness.Run(WriteSame32(100, 300), block).AssertGood();
        for (int i = 0; i < 300; i++)
        {
            Assert.Equal(block, backstore.Data.AsSpan((100 + i) * 512, 512).ToArray());
        }

        Assert.All(backstore.Data.AsSpan(99 * 512, 512).ToArray(), b => Assert.Equal(0, b));
        Assert.All(backstore.Data.AsSpan(400 * 512, 512).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void The_protection_fields_are_ignored_when_wrprotect_is_zero()
    {
        var backstore = new ThinMemoryBackstore();
        byte[] cdb = WriteSame32(0, 4);
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(20), 0xDEADBEEF); // EXPECTED INITIAL LOGICAL BLOCK REFERENCE TAG
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(24), 0x1234);     // EXPECTED LOGICAL BLOCK APPLICATION TAG
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(26), 0xFFFF);     // LOGICAL BLOCK APPLICATION TAG MASK
        backstore.Harness().Run(cdb, Block(0x42)).AssertGood();
        Assert.Equal(0x42, backstore.Data[3 * 512]);
    }

    [Fact]
    public void Unmap_deallocates_on_a_thin_unit_whatever_the_block_holds()
    {
        var backstore = new ThinMemoryBackstore();
        var harness = backstore.Harness();
        harness.Run(WriteSame32(0, 64), Block(0x11)).AssertGood();
        harness.Run(WriteSame32(8, 16, UnmapBit), Block(0x5A)).AssertGood();
        Assert.Equal(1, backstore.Deallocations);
        Assert.False(backstore.Mapped[8]);
        Assert.True(backstore.Mapped[24]);
        Assert.All(harness.Run(Harness.Read10(8, 16)).Data, b => Assert.Equal(0, b));
        Assert.Equal(0x11, harness.Run(Harness.Read10(24, 1)).Data[0]);
    }

    [Fact]
    public void Ndob_moves_no_data_deallocating_with_unmap_and_writing_zeros_without()
    {
        var backstore = new ThinMemoryBackstore();
        var harness = backstore.Harness();
        harness.Run(WriteSame32(0, 32), Block(0xEE)).AssertGood();
        var result = harness.Run(WriteSame32(0, 8, Ndob | UnmapBit), edtl: 0);
        result.AssertGood();
        Assert.Equal(DataDirection.None, result.Direction);
        Assert.False(backstore.Mapped[0]);
        harness.Run(WriteSame32(8, 8, Ndob), edtl: 0).AssertGood();
        Assert.True(backstore.Mapped[8]);
        Assert.All(harness.Run(Harness.Read10(0, 16)).Data, b => Assert.Equal(0, b));
        Assert.Equal(0xEE, harness.Run(Harness.Read10(16, 1)).Data[0]);
    }

    [Fact]
    public void Zero_blocks_means_to_the_last_lba()
    {
        var backstore = new ThinMemoryBackstore(blockCount: 4096);
        var harness = backstore.Harness(LogicalBlockProvisioningSettings.Thin with { MaximumWriteSameLength = 1000 });
        harness.Run(WriteSame32(0, 0), Block(1)).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        harness.Run(WriteSame32(4096 - 1000, 0), Block(1)).AssertGood();
        Assert.Equal(1, backstore.Data[4095 * 512]);
        Assert.Equal(0, backstore.Data[(4096 - 1001) * 512]);
        var result = harness.Run(WriteSame32(0, 1001), Block(1));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal(28, result.FieldByte); // NUMBER OF LOGICAL BLOCKS
    }

    [Theory]
    [InlineData(4096UL, 0U)]
    [InlineData(4095UL, 2U)]
    [InlineData(ulong.MaxValue, 1U)]
    public void A_range_past_the_end_is_lba_out_of_range(ulong lba, uint blocks)
    {
        new ThinMemoryBackstore().Harness().Run(WriteSame32(lba, blocks), Block(0)).AssertSense(SenseKey.IllegalRequest, 0x21, 0x00);
    }

    [Theory]
    [InlineData(0x20, 7)]     // WRPROTECT: no protection information
    [InlineData(0xE0, 7)]
    [InlineData(0x10, 4)]     // ANCHOR
    [InlineData(0x04, 2)]     // PBDATA (obsolete)
    [InlineData(0x02, 1)]     // LBDATA (obsolete)
    public void Refused_flags_point_at_byte_10(byte flags, int bit)
    {
        var result = new ThinMemoryBackstore().Harness().Run(WriteSame32(0, 1, flags), Block(0));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((10, bit), (result.FieldByte, result.FieldBit));
    }

    [Fact]
    public void Unmap_on_a_unit_without_write_same_unmap_is_refused()
    {
        var harness = new ThinMemoryBackstore().Harness(LogicalBlockProvisioningSettings.Thin with { WriteSameUnmap = false });
        var result = harness.Run(WriteSame32(0, 1, UnmapBit), Block(0));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((10, 3), (result.FieldByte, result.FieldBit));
    }

    [Theory]
    [InlineData(0x04, 2)] // NACA
    [InlineData(0x01, 0)] // LINK
    public void The_control_byte_is_byte_1(byte control, int bit)
    {
        var result = new ThinMemoryBackstore().Harness().Run(WriteSame32(0, 1, control: control), Block(0));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((1, bit), (result.FieldByte, result.FieldBit));
    }

    [Theory]
    [InlineData(0x10)]
    [InlineData(0x20)]
    [InlineData(0x00)]
    public void An_additional_cdb_length_other_than_18h_is_refused(byte additional)
    {
        byte[] cdb = WriteSame32(0, 1);
        cdb[7] = additional;
        var result = new ThinMemoryBackstore().Harness().Run(cdb, Block(0));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal(7, result.FieldByte);
    }

    [Fact]
    public void A_cdb_delivered_short_is_refused_at_the_additional_cdb_length()
    {
        // A 32-byte CDB whose transport delivered 16 bytes (iSCSI without its Extended CDB AHS).
        var harness = new ThinMemoryBackstore().Harness();
        var result = harness.Run(WriteSame32(0, 1).AsSpan(0, 16).ToArray(), Block(0));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal(7, result.FieldByte);
    }

    [Theory]
    [InlineData(0x0009)] // READ(32): protection information type 2 only
    [InlineData(0x000B)] // WRITE(32)
    [InlineData(0x000A)] // VERIFY(32)
    [InlineData(0x000C)] // WRITE AND VERIFY(32)
    [InlineData(0x000E)] // ORWRITE(32)
    [InlineData(0x010D)] // the WRITE SAME service action with a high byte
    public void Other_service_actions_are_invalid_field_in_cdb_at_the_service_action(int serviceAction)
    {
        byte[] cdb = WriteSame32(0, 1);
        cdb[8] = (byte)(serviceAction >> 8);
        cdb[9] = (byte)serviceAction;
        var result = new ThinMemoryBackstore().Harness().Run(cdb, Block(0));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((8, 7), (result.FieldByte, result.FieldBit));
    }

    [Fact]
    public void Report_supported_operation_codes_reports_the_32_byte_usage_data()
    {
        var harness = new ThinMemoryBackstore().Harness();
        byte[] rsoc = Harness.Cdb(0xA3, 0x0C, 0x02, 0x7F, 0x00, 0x0D, 0, 0, 0x01, 0x00, 0, 0);
        Result result = harness.Run(rsoc);
        result.AssertGood();
        byte[] data = result.Data;
        Assert.Equal(0x03, data[1] & 0x07);
        Assert.Equal(32, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(2)));
        Assert.Equal(Convert.FromHexString("7F0000000000" + "1F18000D1900" + "FFFFFFFFFFFFFFFF" + "FFFFFFFFFFFFFFFFFFFFFFFF"), data[4..]);

        // All commands leaves the 32-byte CDB out (libiscsi's 16-byte usage buffer; see RespondAll).
        byte[] all = harness.Run(Harness.Cdb(0xA3, 0x0C, 0, 0, 0, 0, 0, 0, 0x10, 0x00, 0, 0)).Data;
        for (int offset = 4; offset + 8 <= all.Length; offset += 8)
        {
            Assert.NotEqual(0x7F, all[offset]);
            Assert.True(BinaryPrimitives.ReadUInt16BigEndian(all.AsSpan(offset + 6)) <= 16);
        }

        // Another service action of 7Fh: not supported.
        byte[] other = harness.Run(Harness.Cdb(0xA3, 0x0C, 0x02, 0x7F, 0x00, 0x09, 0, 0, 0x01, 0x00, 0, 0)).Data;
        Assert.Equal(0x01, other[1] & 0x07);
        Assert.NotNull(CdbUsageData.Find(PeripheralDeviceType.DirectAccessBlock, ScsiOpcode.VariableLength, WriteSameCommand.ServiceActionWriteSame32));
    }

    [Fact]
    public void A_cd_drive_does_not_serve_the_variable_length_cdb()
    {
        var drive = new Devices.Mmc.CdDrive(Devices.Mmc.CdDrive.DvdImage());
        drive.Harness.Run(WriteSame32(0, 1), Block(0)).AssertSense(SenseKey.IllegalRequest, 0x20, 0x00);
    }
}
