using System.Buffers.Binary;

namespace SharpSan.Scsi.Tests;

public class ReadWriteTests
{
    public static TheoryData<byte, byte> WriteReadPairs => new()
    {
        { 0x0A, 0x08 }, // 6
        { 0x2A, 0x28 }, // 10
        { 0xAA, 0xA8 }, // 12
        { 0x8A, 0x88 }, // 16
        { 0x2E, 0x28 }, // WRITE AND VERIFY(10)
        { 0xAE, 0xA8 }, // WRITE AND VERIFY(12)
        { 0x8E, 0x88 }, // WRITE AND VERIFY(16)
    };

    private static byte[] BuildCdb(byte opcode, ulong lba, uint blocks, byte flags = 0) => opcode switch
    {
        0x08 or 0x0A => Harness.Cdb(opcode, (int)(lba >> 16) & 0x1F, (int)(lba >> 8) & 0xFF, (int)lba & 0xFF, (int)(blocks & 0xFF), 0),
        0x28 or 0x2A or 0x2E or 0x2F => Harness.Cdb(opcode, flags, (int)(lba >> 24) & 0xFF, (int)(lba >> 16) & 0xFF, (int)(lba >> 8) & 0xFF, (int)lba & 0xFF, 0, (int)(blocks >> 8) & 0xFF, (int)blocks & 0xFF, 0),
        0xA8 or 0xAA or 0xAE or 0xAF => Harness.Cdb12(opcode, flags, (uint)lba, blocks),
        _ => Harness.Cdb16(opcode, flags, lba, blocks),
    };

    [Theory]
    [MemberData(nameof(WriteReadPairs))]
    public void Data_written_is_read_back(byte writeOpcode, byte readOpcode)
    {
        var harness = new Harness();
        byte[] data = Harness.Pattern(3 * 512, writeOpcode);

        harness.Run(BuildCdb(writeOpcode, 100, 3), data).AssertGood();
        Result read = harness.Run(BuildCdb(readOpcode, 100, 3));

        read.AssertGood();
        Assert.Equal(data, read.Data);
        Assert.Equal(data, harness.Backstore.Data.AsSpan(100 * 512, 3 * 512).ToArray());
        Assert.Equal(0, harness.Backstore.Data[99 * 512 + 511]);
    }

    [Fact]
    public void Read6_with_zero_length_transfers_256_blocks()
    {
        var harness = new Harness();
        Result result = harness.Run(Harness.Cdb(0x08, 0, 0, 0, 0, 0));
        result.AssertGood();
        Assert.Equal(256 * 512, result.TransferLength);
        Assert.Equal(256 * 512, result.Data.Length);
    }

    [Fact]
    public void Zero_length_transfers_succeed_without_io()
    {
        var harness = new Harness();
        harness.Run(Harness.Read10(5, 0)).AssertGood();
        harness.Run(Harness.Write10(5, 0), [], edtl: 0).AssertGood();
        Assert.Equal(0, harness.Backstore.Reads);
        Assert.Equal(0, harness.Backstore.Writes);
    }

    [Fact]
    public void Fua_reaches_the_backstore_and_write_and_verify_is_always_fua()
    {
        var harness = new Harness();
        harness.Run(Harness.Write10(0, 1, 0x08), new byte[512]).AssertGood();
        Assert.Equal(WriteFlags.Fua, harness.Backstore.LastWriteFlags);

        harness.Run(Harness.Write10(0, 1, 0x10), new byte[512]).AssertGood(); // DPO only
        Assert.Equal(WriteFlags.None, harness.Backstore.LastWriteFlags);

        harness.Run(BuildCdb(0x2E, 0, 1, 0x02), new byte[512]).AssertGood(); // BYTCHK=1
        Assert.Equal(WriteFlags.Fua, harness.Backstore.LastWriteFlags);
    }

    [Fact]
    public void Read_with_fua_and_dpo_is_accepted()
    {
        new Harness().Run(Harness.Read10(0, 1, 0x18)).AssertGood();
    }

    [Fact]
    public void Write_whose_expected_length_is_shorter_than_the_cdb_writes_only_the_blocks_that_arrived()
    {
        // libiscsi WRITE residual tests: EDTL < CDB length -> GOOD (the fabric reports the overflow),
        // and only EDTL's whole blocks reach the medium; the block after them keeps its old data.
        var harness = new Harness();
        harness.Run(Harness.Write10(0, 2), Harness.Pattern(1024, 0xAA)).AssertGood();
        Result overflow = harness.Run(Harness.Write10(0, 2), Harness.Pattern(512, 0xBB), edtl: 512);
        Assert.True(overflow.Prepared);
        overflow.AssertGood();
        Assert.Equal(Harness.Pattern(512, 0xBB), harness.Backstore.Data.AsSpan(0, 512).ToArray());
        Assert.Equal(Harness.Pattern(1024, 0xAA).AsSpan(512).ToArray(), harness.Backstore.Data.AsSpan(512, 512).ToArray());
    }

    [Fact]
    public void Write_whose_expected_length_is_longer_than_the_cdb_writes_the_cdb_length()
    {
        var harness = new Harness();
        Result underflow = harness.Run(Harness.Write10(0, 1), new byte[1024], edtl: 1024);
        Assert.True(underflow.Prepared);
        underflow.AssertGood();
        Assert.Equal(1, harness.Backstore.Writes);

        Result zeroBlocksWithData = harness.Run(Harness.Write10(0, 0), new byte[512], edtl: 512);
        zeroBlocksWithData.AssertGood();
        Assert.Equal(1, harness.Backstore.Writes);
    }

    [Fact]
    public void Write_with_less_than_a_block_of_data_writes_nothing()
    {
        var harness = new Harness();
        Result result = harness.Run(Harness.Write10(0, 1), new byte[200], edtl: 200);
        result.AssertGood();
        Assert.Equal(0, harness.Backstore.Writes);
    }

    [Fact]
    public void Read_residuals_are_left_to_the_fabric()
    {
        // EDTL smaller than the CDB: the engine still produces the whole transfer; the fabric truncates.
        Result result = new Harness().Run(Harness.Read10(0, 2), edtl: 200);
        result.AssertGood();
        Assert.Equal(1024, result.TransferLength);
        Assert.Equal(1024, result.Data.Length);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void Write_protected_lu_answers_data_protect(bool lunWriteProtected, bool backstoreReadOnly)
    {
        var harness = new Harness(new MemoryBackstore(readOnly: backstoreReadOnly), lunWriteProtected);
        foreach (byte opcode in new byte[] { 0x0A, 0x2A, 0xAA, 0x8A, 0x2E, 0xAE, 0x8E })
        {
            Result result = harness.Run(BuildCdb(opcode, 0, 1), new byte[512]);
            Assert.False(result.Prepared);
            result.AssertSense(SenseKey.DataProtect, 0x27, 0x00);
        }

        harness.Run(Harness.Read10(0, 1)).AssertGood();
        harness.Run(BuildCdb(0x2F, 0, 1)).AssertGood(); // VERIFY is not a write
        Assert.Equal(0, harness.Backstore.Writes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Backstore_io_errors_become_medium_errors(bool asynchronous)
    {
        var backstore = new MemoryBackstore { FailReads = true, FailWrites = true, CompleteAsynchronously = asynchronous };
        var harness = new Harness(backstore);

        Result read = harness.Run(Harness.Read10(0, 1));
        read.AssertSense(SenseKey.MediumError, 0x11, 0x00);
        Assert.Empty(read.Data);

        harness.Run(Harness.Write10(0, 1), new byte[512]).AssertSense(SenseKey.MediumError, 0x0C, 0x00);
        harness.Run(Harness.Cdb(0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0)).AssertSense(SenseKey.MediumError, 0x0C, 0x00);
    }

    [Fact]
    public void Synchronize_cache_flushes_the_backstore()
    {
        var harness = new Harness();
        harness.Run(Harness.Cdb16(0x91, 0, 0, 16)).AssertGood();
        Assert.Equal(1, harness.Backstore.Flushes);
    }

    [Fact]
    public void Transfer_longer_than_the_maximum_is_an_invalid_field()
    {
        var harness = new Harness(new MemoryBackstore(blockCount: 1UL << 32, allocate: false));
        Result result = harness.Run(Harness.Cdb16(0x88, 0, 0, 20000));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal(10, result.FieldByte);
    }

    [Fact]
    public void Verify_with_bytchk_compares_and_reports_the_miscompare_offset()
    {
        var harness = new Harness();
        byte[] data = Harness.Pattern(4 * 512, 7);
        harness.Run(Harness.Write10(10, 4), data).AssertGood();

        harness.Run(BuildCdb(0x2F, 10, 4, 0x02), data).AssertGood();

        byte[] changed = (byte[])data.Clone();
        changed[1234] ^= 0x58;
        Result mismatch = harness.Run(BuildCdb(0xAF, 10, 4, 0x02), changed);
        mismatch.AssertSense(SenseKey.Miscompare, 0x1D, 0x00);
        Assert.Equal(0xF0, mismatch.Sense[0]); // VALID
        Assert.Equal(1234u, BinaryPrimitives.ReadUInt32BigEndian(mismatch.Sense.AsSpan(3)));

        // BYTCHK=0: no comparison, so a mismatch cannot be seen.
        harness.Run(BuildCdb(0x8F, 10, 4, 0x00)).AssertGood();
    }

    [Fact]
    public void Verify_bytchk_11_compares_one_block_with_every_block()
    {
        var harness = new Harness();
        byte[] block = Harness.Pattern(512, 3);
        byte[] three = [.. block, .. block, .. block];
        harness.Run(Harness.Write10(20, 3), three).AssertGood();

        harness.Run(BuildCdb(0x2F, 20, 3, 0x06), block).AssertGood();
        harness.Backstore.Data[21 * 512 + 5] ^= 1;
        Result result = harness.Run(BuildCdb(0x2F, 20, 3, 0x06), block);
        result.AssertSense(SenseKey.Miscompare, 0x1D, 0x00);
        Assert.Equal(517u, BinaryPrimitives.ReadUInt32BigEndian(result.Sense.AsSpan(3)));
    }

    [Fact]
    public void Concurrent_writes_and_reads_on_one_lu_do_not_interfere()
    {
        var harness = new Harness();
        Parallel.For(0, 64, i =>
        {
            byte[] data = Harness.Pattern(512, i);
            harness.Run(Harness.Write10((uint)i, 1), data).AssertGood();
            Assert.Equal(data, harness.Run(Harness.Read10((uint)i, 1)).Data);
        });
    }
}
