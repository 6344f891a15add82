using System.Buffers.Binary;

namespace SharpSan.Scsi.Tests.Block;

public class CompareAndWriteTests
{
    private static byte[] Instances(byte[] verify, byte[] write) => [.. verify, .. write];

    [Fact]
    public void Matching_verify_data_writes_the_write_instance_with_fua()
    {
        var harness = new Harness();
        byte[] old = Harness.Pattern(2 * 512, 1);
        byte[] updated = Harness.Pattern(2 * 512, 2);
        old.CopyTo(harness.Backstore.Data, 10 * 512);

        harness.Run(BlockTestCdbs.CompareAndWrite(10, 2, flags: 0x08), Instances(old, updated)).AssertGood();

        Assert.Equal(updated, harness.Backstore.Data.AsSpan(10 * 512, 2 * 512).ToArray());
        Assert.Equal(WriteFlags.Fua, harness.Backstore.LastWriteFlags);
    }

    [Fact]
    public void A_miscompare_writes_nothing_and_reports_the_offset_of_the_first_differing_byte()
    {
        var harness = new Harness();
        byte[] old = Harness.Pattern(3 * 512, 3);
        old.CopyTo(harness.Backstore.Data, 0);
        byte[] verify = (byte[])old.Clone();
        verify[3 * 512 - 27] ^= 0xFF;

        Result result = harness.Run(BlockTestCdbs.CompareAndWrite(0, 3), Instances(verify, new byte[3 * 512]));

        result.AssertSense(SenseKey.Miscompare, 0x1D, 0x00);
        Assert.Equal((true, (uint)(3 * 512 - 27)), BlockTestCdbs.Information(result));
        Assert.Equal(old, harness.Backstore.Data.AsSpan(0, 3 * 512).ToArray());
        Assert.Equal(0, harness.Backstore.Writes);
    }

    [Fact]
    public void Data_out_that_is_not_twice_the_number_of_blocks_is_refused()
    {
        var harness = new Harness();
        Result tooLong = harness.Run(BlockTestCdbs.CompareAndWrite(0, 1), new byte[4 * 512]);
        tooLong.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal(13, tooLong.FieldByte);

        // 256 blocks truncated to a NUMBER OF LOGICAL BLOCKS of 0, with 512 blocks of data (libiscsi).
        harness.Run(BlockTestCdbs.CompareAndWrite(0, 0), new byte[512 * 512]).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal(0, harness.Backstore.Writes);
    }

    [Fact]
    public void Zero_blocks_without_data_is_not_an_error()
    {
        var harness = new Harness();
        harness.Run(BlockTestCdbs.CompareAndWrite(0, 0), [], edtl: 0).AssertGood();
        Assert.Equal(0, harness.Backstore.Reads + harness.Backstore.Writes);
    }

    [Fact]
    public void Range_protection_and_write_protect_are_checked()
    {
        var harness = new Harness();
        harness.Run(BlockTestCdbs.CompareAndWrite(2047, 2), new byte[4 * 512]).AssertSense(SenseKey.IllegalRequest, 0x21, 0x00);
        harness.Run(BlockTestCdbs.CompareAndWrite(0, 1, flags: 0x20), new byte[2 * 512]).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        new Harness(writeProtected: true).Run(BlockTestCdbs.CompareAndWrite(0, 1), new byte[2 * 512]).AssertSense(SenseKey.DataProtect, 0x27, 0x00);
    }

    [Fact]
    public void Block_limits_report_the_maximum_compare_and_write_length_and_it_is_honoured()
    {
        var harness = new Harness();
        Assert.Equal(CompareAndWriteCommand.MaxBlocks, BlockTestCdbs.BlockLimits(harness)[5]);
        harness.Run(BlockTestCdbs.CompareAndWrite(0, 255), new byte[2 * 255 * 512]).AssertGood();
    }

    [Fact]
    public async Task A_write_waits_while_an_atomic_command_holds_the_gate()
    {
        var backstore = new MemoryBackstore { ServesInline = true };
        var harness = new Harness(backstore);
        AtomicWriteGate gate = harness.Unit.WriteGate;
        await gate.CloseAsync(CancellationToken.None);

        Task<Result> write = Task.Run(() => harness.Run(Harness.Write10(5, 1), Harness.Pattern(512, 9), inline: true));
        await Task.Delay(100);
        Assert.False(write.IsCompleted);
        Assert.Equal(0, backstore.Writes + backstore.InlineWrites);

        gate.Open();
        Result result = await write.WaitAsync(TimeSpan.FromSeconds(5));
        result.AssertGood();
        Assert.False(harness.InlineCompleted);
        Assert.Equal(0, gate.Writers);
    }

    /// <summary>
    /// VMware-style ATS: eight threads increment one counter block with read, COMPARE AND WRITE
    /// old -> old + 1, retry on MISCOMPARE, while ordinary writes hit neighbouring blocks; the final
    /// counter equals the number of successful compare-and-writes.
    /// </summary>
    [Fact]
    public async Task Concurrent_ats_increments_lose_no_update()
    {
        var backstore = new MemoryBackstore { CompleteAsynchronously = true };
        var harness = new Harness(backstore);
        const int Threads = 8;
        const int Increments = 100;
        int successes = 0;

        Task Worker(int id) => Task.Run(() =>
        {
            for (int done = 0; done < Increments;)
            {
                Result read = harness.Run(Harness.Read10(0, 1));
                read.AssertGood();
                byte[] updated = (byte[])read.Data.Clone();
                BinaryPrimitives.WriteInt64BigEndian(updated, BinaryPrimitives.ReadInt64BigEndian(read.Data) + 1);
                Result caw = harness.Run(BlockTestCdbs.CompareAndWrite(0, 1), [.. read.Data, .. updated]);
                if (caw.Status == ScsiStatus.Good)
                {
                    Interlocked.Increment(ref successes);
                    done++;
                }
                else
                {
                    caw.AssertSense(SenseKey.Miscompare, 0x1D, 0x00);
                }

                harness.Run(Harness.Write10((uint)(1 + id), 1), Harness.Pattern(512, id)).AssertGood();
            }
        });

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(Worker)).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(Threads * Increments, successes);
        Assert.Equal(Threads * Increments, BinaryPrimitives.ReadInt64BigEndian(backstore.Data));
    }
}
