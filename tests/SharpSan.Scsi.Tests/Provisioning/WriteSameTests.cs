using static SharpSan.Scsi.Tests.ProvisioningCdb;

namespace SharpSan.Scsi.Tests;

/// <summary>WRITE SAME (10)/(16) (SBC-3 5.41, 5.42): the block written over the range, deallocation with
/// UNMAP, the length rules and the refused bits.</summary>
public class WriteSameTests
{
    private static byte[] Block(byte value) => Enumerable.Repeat(value, 512).ToArray();

    [Theory]
    [InlineData(16)]
    [InlineData(10)]
    public void The_block_is_written_to_every_block_of_the_range(int cdbLength)
    {
        var backstore = new ThinMemoryBackstore();
        var harness = backstore.Harness(LogicalBlockProvisioningSettings.FullyProvisioned);
        byte[] block = Harness.Pattern(512, 7);
        byte[] cdb = cdbLength == 16 ? WriteSame16(100, 2500) : WriteSame10(100, 2500);
        harness.Run(cdb, block).AssertGood();

        for (int i = 0; i < 2500; i++)
        {
            Assert.Equal(block, backstore.Data.AsSpan((100 + i) * 512, 512).ToArray());
        }

        Assert.All(backstore.Data.AsSpan(99 * 512, 512).ToArray(), b => Assert.Equal(0, b));
        Assert.All(backstore.Data.AsSpan(2600 * 512, 512).ToArray(), b => Assert.Equal(0, b));
        // 2500 blocks = 1.22 MiB: two pooled 1 MiB chunks, not one write per block.
        Assert.Equal(2, backstore.Writes);
    }

    [Fact]
    public void Unmap_with_a_zero_block_deallocates()
    {
        var backstore = new ThinMemoryBackstore();
        var harness = backstore.Harness();
        harness.Run(WriteSame16(0, 64), Block(0xFF)).AssertGood();
        harness.Run(WriteSame16(8, 16, UnmapBit), Block(0)).AssertGood();
        Assert.Equal(1, backstore.Deallocations);
        Assert.False(backstore.Mapped[8]);
        Assert.True(backstore.Mapped[24]);
        Assert.All(harness.Run(Harness.Read10(8, 16)).Data, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Unmap_with_a_block_that_is_not_zeros_deallocates_and_the_blocks_read_as_zeros()
    {
        // SBC-4 WRITE SAME: UNMAP=1, ANCHOR=0 is an unmap operation whatever the Data-Out block holds
        // (libiscsi's WriteSame10.UnmapUntilEnd sends 0xFF and expects LBPRZ zeros back).
        var backstore = new ThinMemoryBackstore();
        var harness = backstore.Harness();
        harness.Run(WriteSame16(0, 8), Block(0x11)).AssertGood();
        harness.Run(WriteSame10(0, 4, UnmapBit), Block(0x5A)).AssertGood();
        Assert.Equal(1, backstore.Deallocations);
        Assert.False(backstore.Mapped[0]);
        Assert.True(backstore.Mapped[4]);
        Assert.All(harness.Run(Harness.Read10(0, 4)).Data, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Zeros_without_unmap_are_written_and_the_blocks_stay_mapped()
    {
        var backstore = new ThinMemoryBackstore();
        var harness = backstore.Harness();
        harness.Run(WriteSame16(0, 8), Block(0xFF)).AssertGood();
        harness.Run(WriteSame16(0, 8), Block(0)).AssertGood();
        Assert.Equal(0, backstore.Deallocations);
        Assert.True(backstore.Mapped[3]);
        Assert.All(harness.Run(Harness.Read10(0, 8)).Data, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Unmap_on_a_unit_without_write_same_unmap_is_invalid_field_in_cdb()
    {
        var harness = new ThinMemoryBackstore().Harness(LogicalBlockProvisioningSettings.Thin with { WriteSameUnmap = false });
        var result = harness.Run(WriteSame16(0, 1, UnmapBit), Block(0));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((1, 3), (result.FieldByte, result.FieldBit));
    }

    [Theory]
    [InlineData(0x10)]        // ANCHOR without UNMAP
    [InlineData(0x18)]        // ANCHOR with UNMAP: no anchored state (ANC_SUP=0)
    public void Anchor_is_refused(byte flags)
    {
        var result = new ThinMemoryBackstore().Harness().Run(WriteSame16(0, 1, flags), Block(0));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((1, 4), (result.FieldByte, result.FieldBit));
    }

    [Theory]
    [InlineData(0x02, 1)]     // LBDATA
    [InlineData(0x04, 2)]     // PBDATA
    [InlineData(0x20, 7)]     // WRPROTECT
    public void Lbdata_pbdata_and_wrprotect_are_refused(byte flags, int bit)
    {
        var result = new ThinMemoryBackstore().Harness().Run(WriteSame10(0, 1, flags), Block(0));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((1, bit), (result.FieldByte, result.FieldBit));
    }

    [Fact]
    public void Zero_blocks_means_to_the_last_lba_within_the_maximum_write_same_length()
    {
        var backstore = new ThinMemoryBackstore(blockCount: 4096);
        var harness = backstore.Harness(LogicalBlockProvisioningSettings.Thin with { MaximumWriteSameLength = 1000 });
        harness.Run(WriteSame16(0, 0), Block(1)).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        harness.Run(WriteSame16(4096 - 1001, 0), Block(1)).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        harness.Run(WriteSame16(4096 - 1000, 0), Block(1)).AssertGood();
        Assert.Equal(1, backstore.Data[4095 * 512]);
        Assert.Equal(0, backstore.Data[(4096 - 1001) * 512]);
        harness.Run(WriteSame10(4096 - 10, 0), Block(2)).AssertGood();
        Assert.Equal(2, backstore.Data[4095 * 512]);
    }

    [Theory]
    [InlineData(4097UL, 0U)]
    [InlineData(4096UL, 0U)]
    [InlineData(4095UL, 2U)]
    [InlineData(0x8000000000000000UL, 1U)]
    [InlineData(ulong.MaxValue, 1U)]
    public void A_range_past_the_end_is_lba_out_of_range(ulong lba, uint blocks)
    {
        new ThinMemoryBackstore().Harness().Run(WriteSame16(lba, blocks), Block(0)).AssertSense(SenseKey.IllegalRequest, 0x21, 0x00);
    }

    [Fact]
    public void More_than_the_maximum_write_same_length_is_invalid_field_in_cdb()
    {
        var harness = new ThinMemoryBackstore().Harness(LogicalBlockProvisioningSettings.Thin with { MaximumWriteSameLength = 100 });
        harness.Run(WriteSame16(0, 100), Block(0)).AssertGood();
        var result = harness.Run(WriteSame16(0, 101), Block(0));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal(10, result.FieldByte);
    }

    [Theory]
    [InlineData(256)]
    [InlineData(1024)]
    public void A_data_out_length_other_than_one_block_is_refused_before_data_moves(int length)
    {
        var result = new ThinMemoryBackstore().Harness().Run(WriteSame16(0, 1, UnmapBit), new byte[length]);
        Assert.False(result.Prepared);
        Assert.Equal(ScsiStatus.CheckCondition, result.Status);
    }

    [Fact]
    public void Ndob_deallocates_with_unmap_and_writes_zeros_without_it_and_moves_no_data()
    {
        var backstore = new ThinMemoryBackstore();
        var harness = backstore.Harness();
        harness.Run(WriteSame16(0, 32), Block(0xEE)).AssertGood();
        var result = harness.Run(WriteSame16(0, 8, Ndob | UnmapBit), edtl: 0);
        result.AssertGood();
        Assert.Equal(DataDirection.None, result.Direction);
        Assert.False(backstore.Mapped[0]);
        harness.Run(WriteSame16(8, 8, Ndob), edtl: 0).AssertGood();
        Assert.True(backstore.Mapped[8]);
        Assert.All(harness.Run(Harness.Read10(0, 16)).Data, b => Assert.Equal(0, b));
        Assert.Equal(0xEE, harness.Run(Harness.Read10(16, 1)).Data[0]);
    }

    [Fact]
    public void Ndob_does_not_exist_in_write_same_10()
    {
        var result = new ThinMemoryBackstore().Harness().Run(WriteSame10(0, 1, Ndob), Block(0));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((1, 0), (result.FieldByte, result.FieldBit));
    }

    [Fact]
    public void Write_same_on_a_write_protected_unit_is_data_protect()
    {
        var unit = new LogicalUnit(new ThinMemoryBackstore(), Harness.Identity, new LogicalUnitSettings { WriteProtected = true });
        new Harness(unit).Run(WriteSame16(0, 1), Block(0)).AssertSense(SenseKey.DataProtect, 0x27, 0x00);
    }

    [Fact]
    public void A_medium_error_while_writing_is_a_write_error()
    {
        var backstore = new MemoryBackstore { FailWrites = true };
        new Harness(backstore).Run(WriteSame16(0, 4), Block(1)).AssertSense(SenseKey.MediumError, 0x0C, 0x00);
    }
}
