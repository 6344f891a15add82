using System.Buffers.Binary;
using static SharpSan.Scsi.Tests.ProvisioningCdb;

namespace SharpSan.Scsi.Tests;

/// <summary>GET LBA STATUS (SBC-3 5.4): descriptors of mapped and deallocated extents.</summary>
public class GetLbaStatusTests
{
    private static (ulong Lba, uint Count, int Status) Descriptor(byte[] data, int index)
    {
        int offset = 8 + 16 * index;
        return (BinaryPrimitives.ReadUInt64BigEndian(data.AsSpan(offset)), BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset + 8)), data[offset + 12] & 0x0F);
    }

    [Fact]
    public void Mapped_and_deallocated_extents_follow_each_other_from_the_starting_lba()
    {
        var backstore = new ThinMemoryBackstore(blockCount: 100);
        var harness = backstore.Harness();
        harness.Run(Harness.Write10(10, 20), new byte[20 * 512]).AssertGood();

        byte[] data = harness.Run(GetLbaStatus(5, 4096)).Data;
        Assert.Equal(8 + 3 * 16 - 4, (int)BinaryPrimitives.ReadUInt32BigEndian(data));
        Assert.Equal((5UL, 5U, 1), Descriptor(data, 0));
        Assert.Equal((10UL, 20U, 0), Descriptor(data, 1));
        Assert.Equal((30UL, 70U, 1), Descriptor(data, 2));
    }

    [Fact]
    public void A_short_allocation_length_gets_the_first_descriptor_and_the_full_length()
    {
        var backstore = new ThinMemoryBackstore(blockCount: 100);
        var harness = backstore.Harness();
        harness.Run(Harness.Write10(1, 1), new byte[512]).AssertGood();
        byte[] data = harness.Run(GetLbaStatus(0, 24)).Data;
        Assert.Equal(24, data.Length);
        Assert.Equal(8 + 16 - 4, (int)BinaryPrimitives.ReadUInt32BigEndian(data));
        Assert.Equal((0UL, 1U, 1), Descriptor(data, 0));
    }

    [Fact]
    public void A_fully_provisioned_unit_is_mapped_everywhere()
    {
        var harness = new ThinMemoryBackstore(blockCount: 100).Harness(LogicalBlockProvisioningSettings.FullyProvisioned);
        byte[] data = harness.Run(GetLbaStatus(0, 1024)).Data;
        Assert.Equal((0UL, 100U, 0), Descriptor(data, 0));
        Assert.Equal(24, data.Length);
    }

    [Theory]
    [InlineData(100UL)]
    [InlineData(101UL)]
    [InlineData(0x8000000000000000UL)]
    [InlineData(ulong.MaxValue)]
    public void A_starting_lba_past_the_last_is_lba_out_of_range(ulong lba)
    {
        new ThinMemoryBackstore(blockCount: 100).Harness().Run(GetLbaStatus(lba, 24)).AssertSense(SenseKey.IllegalRequest, 0x21, 0x00);
    }

    [Fact]
    public void A_huge_allocation_length_does_not_ask_the_fabric_for_a_huge_buffer()
    {
        var result = new ThinMemoryBackstore(blockCount: 100).Harness().Run(GetLbaStatus(0, uint.MaxValue));
        result.AssertGood();
        Assert.True(result.TransferLength <= 8 + 16 * GetLbaStatusCommand.MaxDescriptors);
    }
}
