using static SharpSan.Scsi.Tests.ProvisioningCdb;

namespace SharpSan.Scsi.Tests;

/// <summary>UNMAP (SBC-3 5.28): parameter list checks and the deallocation itself.</summary>
public class UnmapTests
{
    private static Result Run(Harness harness, byte[] list, int? parameterListLength = null, byte flags = 0) =>
        harness.Run(Unmap(parameterListLength ?? list.Length, flags), list);

    [Fact]
    public void Unmapped_blocks_read_as_zeros_and_are_deallocated()
    {
        var backstore = new ThinMemoryBackstore();
        var harness = backstore.Harness();
        harness.Run(Harness.Write10(0, 16), Harness.Pattern(16 * 512, 1)).AssertGood();

        Run(harness, UnmapList((2, 3), (10, 1))).AssertGood();

        byte[] data = harness.Run(Harness.Read10(0, 16)).Data;
        Assert.All(data.AsSpan(2 * 512, 3 * 512).ToArray(), b => Assert.Equal(0, b));
        Assert.All(data.AsSpan(10 * 512, 512).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(Harness.Pattern(16 * 512, 1).AsSpan(5 * 512, 5 * 512).ToArray(), data.AsSpan(5 * 512, 5 * 512).ToArray());
        Assert.Equal([true, true, false, false, false, true], backstore.Mapped[..6]);
        Assert.False(backstore.Mapped[10]);
    }

    [Fact]
    public void A_fully_provisioned_unit_does_not_support_unmap()
    {
        var harness = new ThinMemoryBackstore().Harness(LogicalBlockProvisioningSettings.FullyProvisioned);
        Run(harness, UnmapList((0, 1))).AssertSense(SenseKey.IllegalRequest, 0x20, 0x00);
    }

    [Fact]
    public void Anchor_is_refused_as_the_anchored_state_is_not_supported()
    {
        var result = Run(new ThinMemoryBackstore().Harness(), UnmapList((0, 1)), flags: 0x01);
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((1, 0), (result.FieldByte, result.FieldBit));
    }

    [Fact]
    public void A_zero_parameter_list_length_is_not_an_error()
    {
        var backstore = new ThinMemoryBackstore();
        var result = backstore.Harness().Run(Unmap(0), []);
        result.AssertGood();
        Assert.Equal(0, backstore.Deallocations);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    public void A_parameter_list_shorter_than_its_header_is_a_length_error(int length)
    {
        Run(new ThinMemoryBackstore().Harness(), new byte[length]).AssertSense(SenseKey.IllegalRequest, 0x1A, 0x00);
    }

    [Fact]
    public void Zero_descriptors_and_zero_block_descriptors_do_nothing()
    {
        var backstore = new ThinMemoryBackstore();
        var harness = backstore.Harness();
        Run(harness, UnmapList()).AssertGood();
        Run(harness, UnmapList((5, 0), (4096, 0))).AssertGood();
        Assert.Equal(0, backstore.Deallocations);
    }

    [Fact]
    public void A_descriptor_past_the_end_is_lba_out_of_range_and_nothing_is_unmapped()
    {
        var backstore = new ThinMemoryBackstore();
        var harness = backstore.Harness();
        harness.Run(Harness.Write10(0, 1), new byte[512]).AssertGood();
        Run(harness, UnmapList((0, 1), (4095, 2))).AssertSense(SenseKey.IllegalRequest, 0x21, 0x00);
        Run(harness, UnmapList((4097, 0))).AssertSense(SenseKey.IllegalRequest, 0x21, 0x00);
        Run(harness, UnmapList((ulong.MaxValue, 2))).AssertSense(SenseKey.IllegalRequest, 0x21, 0x00);
        Assert.Equal(0, backstore.Deallocations);
        Assert.True(backstore.Mapped[0]);
    }

    [Fact]
    public void More_descriptors_than_the_block_limits_allow_is_invalid_field_in_parameter_list()
    {
        var harness = new ThinMemoryBackstore().Harness(LogicalBlockProvisioningSettings.Thin with { MaximumUnmapBlockDescriptorCount = 2 });
        var result = Run(harness, UnmapList((0, 1), (1, 1), (2, 1)));
        result.AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.False(result.CommandData);
        Assert.Equal(2, result.FieldByte);
    }

    [Fact]
    public void More_blocks_than_the_maximum_unmap_lba_count_is_invalid_field_in_parameter_list()
    {
        var harness = new ThinMemoryBackstore().Harness(LogicalBlockProvisioningSettings.Thin with { MaximumUnmapLbaCount = 10 });
        Run(harness, UnmapList((0, 10))).AssertGood();
        var result = Run(harness, UnmapList((0, 6), (100, 5)));
        result.AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.Equal(8 + 16 + 8, result.FieldByte); // NUMBER OF LOGICAL BLOCKS of the second descriptor
    }

    [Fact]
    public void A_partial_last_descriptor_and_a_longer_descriptor_length_than_sent_are_ignored()
    {
        var backstore = new ThinMemoryBackstore();
        var harness = backstore.Harness();
        harness.Run(Harness.Write10(0, 8), new byte[8 * 512].Select(_ => (byte)1).ToArray()).AssertGood();
        byte[] list = UnmapList((0, 1), (4, 1));
        // Claim 3 descriptors but send 1.5 of them: only the first is processed.
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(2), 48);
        Run(harness, list[..(8 + 24)]).AssertGood();
        Assert.False(backstore.Mapped[0]);
        Assert.True(backstore.Mapped[4]);
    }

    [Fact]
    public void A_write_protected_unit_refuses_unmap()
    {
        var backstore = new ThinMemoryBackstore();
        var unit = new LogicalUnit(backstore, Harness.Identity, new LogicalUnitSettings { Provisioning = LogicalBlockProvisioningSettings.Thin, WriteProtected = true });
        new Harness(unit).Run(Unmap(24), UnmapList((0, 1))).AssertSense(SenseKey.DataProtect, 0x27, 0x00);
    }

    [Fact]
    public void An_announced_list_longer_than_the_initiator_sends_is_refused_before_data_moves()
    {
        var result = new ThinMemoryBackstore().Harness().Run(Unmap(24), UnmapList((0, 1)), edtl: 8);
        Assert.False(result.Prepared);
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
    }
}
