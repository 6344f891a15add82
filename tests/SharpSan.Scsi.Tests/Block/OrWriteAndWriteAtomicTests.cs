using System.Buffers.Binary;

namespace SharpSan.Scsi.Tests.Block;

public class OrWriteAndWriteAtomicTests
{
    [Fact]
    public void OrWrite_ors_the_data_into_the_medium()
    {
        var harness = new Harness();
        harness.Backstore.Data.AsSpan(512, 2 * 512).Fill(0xA5);
        byte[] data = new byte[2 * 512];
        data.AsSpan().Fill(0x5A);
        data[700 - 512] = 0x00;

        harness.Run(BlockTestCdbs.OrWrite(1, 2, flags: 0x08), data).AssertGood();

        Assert.All(harness.Backstore.Data.AsSpan(512, 2 * 512).ToArray(), b => Assert.True(b is 0xFF or 0xA5));
        Assert.Equal(0xA5, harness.Backstore.Data[700]);
        Assert.Equal(0xFF, harness.Backstore.Data[701]);
        Assert.Equal(WriteFlags.Fua, harness.Backstore.LastWriteFlags);
        Assert.Equal(0, harness.Backstore.Data[3 * 512]);
    }

    [Fact]
    public void OrWrite_checks_protection_range_and_zero_blocks()
    {
        var harness = new Harness();
        Result protect = harness.Run(BlockTestCdbs.OrWrite(0, 1, flags: 0x40), new byte[512]);
        protect.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        harness.Run(BlockTestCdbs.OrWrite(2048, 1), new byte[512]).AssertSense(SenseKey.IllegalRequest, 0x21, 0x00);
        harness.Run(BlockTestCdbs.OrWrite(ulong.MaxValue, 0), [], edtl: 0).AssertSense(SenseKey.IllegalRequest, 0x21, 0x00);
        harness.Run(BlockTestCdbs.OrWrite(0, 0), [], edtl: 0).AssertGood();
        Assert.Equal(0, harness.Backstore.Writes);
    }

    [Fact]
    public void WriteAtomic_writes_its_blocks()
    {
        var harness = new Harness();
        byte[] data = Harness.Pattern(4 * 512, 5);
        harness.Run(BlockTestCdbs.WriteAtomic(2044, 4, flags: 0x18), data).AssertGood();
        Assert.Equal(data, harness.Backstore.Data.AsSpan(2044 * 512, 4 * 512).ToArray());
        Assert.Equal(WriteFlags.Fua, harness.Backstore.LastWriteFlags);
    }

    [Fact]
    public void WriteAtomic_refuses_boundaries_protection_and_lengths_past_the_atomic_limit()
    {
        var harness = new Harness(new MemoryBackstore(blockCount: 40000));
        Result boundary = harness.Run(BlockTestCdbs.WriteAtomic(0, 1, boundary: 1), new byte[512]);
        boundary.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal(10, boundary.FieldByte);

        harness.Run(BlockTestCdbs.WriteAtomic(0, 1, flags: 0x20), new byte[512]).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);

        ushort tooMany = (ushort)(WriteAtomicCommand.MaxTransferBlocks(512) + 1);
        Result tooLong = harness.Run(BlockTestCdbs.WriteAtomic(0, tooMany), new byte[tooMany * 512]);
        tooLong.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal(12, tooLong.FieldByte);

        harness.Run(BlockTestCdbs.WriteAtomic(39999, 2), new byte[1024]).AssertSense(SenseKey.IllegalRequest, 0x21, 0x00);
        harness.Run(BlockTestCdbs.WriteAtomic(0, 0), [], edtl: 0).AssertGood();
    }

    [Fact]
    public void Block_limits_report_the_atomic_limits()
    {
        byte[] page = BlockTestCdbs.BlockLimits(new Harness(new MemoryBackstore(blockSize: 4096, blockCount: 64)));
        uint maxTransfer = BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(8));
        uint maxAtomic = BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(44));
        Assert.True(maxAtomic >= 256 && maxAtomic <= maxTransfer, $"{maxAtomic} of {maxTransfer}");
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(48)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(52)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(56)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(60)));
    }
}
