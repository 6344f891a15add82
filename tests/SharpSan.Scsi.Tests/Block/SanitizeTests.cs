namespace SharpSan.Scsi.Tests.Block;

public class SanitizeTests
{
    private static byte[] OverwriteList(byte[] pattern, int passes = 1, bool invert = false) =>
        [(byte)(passes | (invert ? 0x80 : 0)), 0, (byte)(pattern.Length >> 8), (byte)pattern.Length, .. pattern];

    private static Harness Unpaced(MemoryBackstore? backstore = null)
    {
        var harness = new Harness(backstore ?? new MemoryBackstore(blockCount: 64));
        harness.Unit.Sanitize.OverwriteBytesPerSecond = 0;
        return harness;
    }

    [Fact]
    public void Overwrite_repeats_the_pattern_in_every_block()
    {
        var harness = Unpaced();
        byte[] list = OverwriteList([1, 2, 3]);
        harness.Run(BlockTestCdbs.Sanitize(0x01, (ushort)list.Length), list).AssertGood();

        for (int block = 0; block < 64; block++)
        {
            Assert.Equal(1, harness.Backstore.Data[block * 512]);
            Assert.Equal(3, harness.Backstore.Data[block * 512 + 2]);
            Assert.Equal(1, harness.Backstore.Data[block * 512 + 510]);
            Assert.Equal(2, harness.Backstore.Data[block * 512 + 511]);
        }

        Assert.True(harness.Backstore.Flushes > 0);
        harness.Run(Harness.Cdb(0x00, 0, 0, 0, 0, 0)).AssertGood();
    }

    [Fact]
    public void Overwrite_inverts_between_passes()
    {
        var harness = Unpaced();
        byte[] two = OverwriteList([0x0F], passes: 2, invert: true);
        harness.Run(BlockTestCdbs.Sanitize(0x01, (ushort)two.Length), two).AssertGood();
        Assert.Equal(0xF0, harness.Backstore.Data[0]);

        byte[] three = OverwriteList([0x0F], passes: 3, invert: true);
        harness.Run(BlockTestCdbs.Sanitize(0x01, (ushort)three.Length), three).AssertGood();
        Assert.Equal(0x0F, harness.Backstore.Data[63 * 512 + 511]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(512 + 5)]
    public void Overwrite_parameter_list_length_must_hold_a_header_and_at_most_a_block(int length)
    {
        var harness = Unpaced();
        Result result = harness.Run(BlockTestCdbs.Sanitize(0x01, (ushort)length), new byte[length]);
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal(7, result.FieldByte);
    }

    [Fact]
    public void Overwrite_count_pattern_length_and_test_field_are_checked()
    {
        var harness = Unpaced();
        byte[] list = OverwriteList(new byte[512]);
        list[0] = 0;
        harness.Run(BlockTestCdbs.Sanitize(0x01, (ushort)list.Length), list).AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        list[0] = 1;
        list[2] = 0; list[3] = 0;
        harness.Run(BlockTestCdbs.Sanitize(0x01, (ushort)list.Length), list).AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        list[2] = 0x02; list[3] = 0x04;
        harness.Run(BlockTestCdbs.Sanitize(0x01, (ushort)list.Length), list).AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        list[0] = 0x21; list[2] = 0x02; list[3] = 0x00;
        harness.Run(BlockTestCdbs.Sanitize(0x01, (ushort)list.Length), list).AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.Equal(0, harness.Backstore.Writes);
    }

    [Theory]
    [InlineData(1, 0x40)]
    [InlineData(2, 0x01)]
    [InlineData(6, 0x80)]
    public void Reserved_cdb_fields_are_refused(int index, byte value)
    {
        var harness = Unpaced();
        byte[] list = OverwriteList([0x11]);
        byte[] cdb = BlockTestCdbs.Sanitize(0x01, (ushort)list.Length);
        cdb[index] |= value;
        Result result = harness.Run(cdb, list);
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal(index, result.FieldByte);
        Assert.Equal(0, harness.Backstore.Writes);
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x02)] // BLOCK ERASE on a fully provisioned unit
    [InlineData(0x03)]
    [InlineData(0x1E)]
    public void Unsupported_service_actions_are_an_invalid_field(byte serviceAction)
    {
        Unpaced().Run(BlockTestCdbs.Sanitize(serviceAction, 0), null, edtl: 0).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public async Task While_an_overwrite_runs_only_inquiry_report_luns_and_request_sense_are_answered()
    {
        var harness = new Harness(new MemoryBackstore(blockCount: 8192));
        harness.Unit.Sanitize.OverwriteBytesPerSecond = 4L * 1024 * 1024; // 4 MiB at 4 MiB/s: about a second
        byte[] list = OverwriteList([0xAA]);

        harness.Run(BlockTestCdbs.Sanitize(0x01, (ushort)list.Length, immediate: true), list).AssertGood();
        Assert.True(harness.Unit.SanitizeInProgress);

        Result tur = harness.Run(Harness.Cdb(0x00, 0, 0, 0, 0, 0));
        tur.AssertSense(SenseKey.NotReady, 0x04, 0x1B);
        Assert.True(tur.Sksv);
        harness.Run(Harness.Read10(0, 1)).AssertSense(SenseKey.NotReady, 0x04, 0x1B);
        harness.Run(Harness.Cdb(0x1B, 0, 0, 0, 1, 0)).AssertSense(SenseKey.NotReady, 0x04, 0x1B);
        harness.Run(Harness.Cdb(0x12, 0, 0, 0, 96, 0)).AssertGood();

        Result sense = harness.Run(Harness.Cdb(0x03, 0, 0, 0, 18, 0));
        sense.AssertGood();
        Assert.Equal((2, 0x04, 0x1B), (sense.Data[2] & 0x0F, sense.Data[12], sense.Data[13]));
        Assert.Equal(0x80, sense.Data[15]);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (harness.Unit.SanitizeInProgress && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        harness.Run(Harness.Cdb(0x00, 0, 0, 0, 0, 0)).AssertGood();
        Assert.All(harness.Backstore.Data, b => Assert.Equal(0xAA, b));
    }

    [Fact]
    public async Task Aborting_the_command_ends_the_wait_but_not_the_operation()
    {
        var harness = new Harness(new MemoryBackstore(blockCount: 8192));
        harness.Unit.Sanitize.OverwriteBytesPerSecond = 4L * 1024 * 1024;
        byte[] list = OverwriteList([0x77]);
        using var abort = new CancellationTokenSource();
        var task = new ScsiTask
        {
            Nexus = Harness.NexusA,
            LunMap = harness.Map,
            CdbLength = 10,
            AbortToken = abort.Token,
            ExpectedDataTransferLength = (uint)list.Length,
            ExpectedDirection = DataDirection.Write,
        };
        BlockTestCdbs.Sanitize(0x01, (ushort)list.Length).CopyTo(task.CdbBuffer);
        Assert.True(ScsiDispatcher.Prepare(task));
        task.Buffer = list;
        task.DataLength = list.Length;

        ValueTask running = ScsiDispatcher.ExecuteAsync(task, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(running.IsCompleted);
        abort.Cancel();
        await running.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(harness.Unit.SanitizeInProgress);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (harness.Unit.SanitizeInProgress && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.All(harness.Backstore.Data, b => Assert.Equal(0x77, b));
    }

    [Fact]
    public void A_failed_overwrite_enters_failure_mode_which_exit_failure_mode_ends_only_with_ause()
    {
        var backstore = new MemoryBackstore(blockCount: 64) { FailWrites = true };
        var harness = Unpaced(backstore);
        byte[] list = OverwriteList([0x11]);

        harness.Run(BlockTestCdbs.Sanitize(0x01, (ushort)list.Length), list).AssertSense(SenseKey.MediumError, 0x31, 0x03);
        harness.Run(Harness.Read10(0, 1)).AssertSense(SenseKey.MediumError, 0x31, 0x03);
        harness.Run(BlockTestCdbs.Sanitize(0x1F, 0), null, edtl: 0).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);

        harness.Run(BlockTestCdbs.Sanitize(0x01, (ushort)list.Length, ause: true), list).AssertSense(SenseKey.MediumError, 0x31, 0x03);
        harness.Run(BlockTestCdbs.Sanitize(0x1F, 0), null, edtl: 0).AssertGood();
        harness.Run(Harness.Read10(0, 1)).AssertGood();

        harness.Run(BlockTestCdbs.Sanitize(0x1F, 8), new byte[8]).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public void Sanitize_is_refused_on_a_write_protected_unit()
    {
        byte[] list = OverwriteList([0x11]);
        new Harness(writeProtected: true).Run(BlockTestCdbs.Sanitize(0x01, (ushort)list.Length), list).AssertSense(SenseKey.DataProtect, 0x27, 0x00);
    }

    private static Harness ThinUnpaced(ThinMemoryBackstore backstore)
    {
        Harness harness = backstore.Harness();
        harness.Unit.Sanitize.OverwriteBytesPerSecond = 0;
        return harness;
    }

    [Fact]
    public void Block_erase_on_a_thin_unit_deallocates_every_lba()
    {
        var backstore = new ThinMemoryBackstore(blockCount: 300);
        Harness harness = ThinUnpaced(backstore);
        byte[] a = Enumerable.Repeat((byte)'a', 512 * 8).ToArray();
        harness.Run(Harness.Write10(0, 8), a).AssertGood();
        harness.Run(Harness.Write10(292, 8), a).AssertGood();

        harness.Run(BlockTestCdbs.Sanitize(0x02, 0), null, edtl: 0).AssertGood();

        Assert.All(backstore.Mapped, Assert.False);
        Assert.All(backstore.Data, b => Assert.Equal(0, b));
        Result read = harness.Run(Harness.Read10(292, 8));
        read.AssertGood();
        Assert.All(read.Data, b => Assert.Equal(0, b));
        Result status = harness.Run(ProvisioningCdb.GetLbaStatus(0, 256));
        status.AssertGood();
        Assert.Equal(16 + 8, status.Data.Length);              // one descriptor: the whole unit, deallocated
        Assert.Equal(300u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(status.Data.AsSpan(16)));
        Assert.Equal(1, status.Data[20] & 0x0F);
    }

    [Fact]
    public void Block_erase_takes_no_parameter_list()
    {
        var backstore = new ThinMemoryBackstore(blockCount: 64);
        Harness harness = ThinUnpaced(backstore);
        Result result = harness.Run(BlockTestCdbs.Sanitize(0x02, 8), new byte[8]);
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal(8, result.FieldByte);
        Assert.Equal(0, backstore.Deallocations);
    }

    [Fact]
    public void Block_erase_is_reported_with_wabereq_only_where_it_is_served()
    {
        static (int Support, int Wabereq, int Wacereq) Probe(Harness harness)
        {
            byte[] rsoc = harness.Run(Harness.Cdb(0xA3, 0x0C, 0x02, 0x48, 0, 0x02, 0, 0, 1, 0, 0, 0)).Data;
            byte[] b1 = harness.Run(Harness.Cdb(0x12, 1, 0xB1, 0, 0xFF, 0)).Data;
            return (rsoc[1] & 0x07, b1[7] >> 6, (b1[7] >> 4) & 0x03);
        }

        Assert.Equal((3, 1, 0), Probe(new ThinMemoryBackstore(blockCount: 64).Harness()));
        Assert.Equal((1, 0, 0), Probe(new ThinMemoryBackstore(blockCount: 64).Harness(LogicalBlockProvisioningSettings.FullyProvisioned)));
        Assert.Equal((1, 0, 0), Probe(new Harness()));
    }

    [Fact]
    public void Cryptographic_erase_is_refused_and_not_reported()
    {
        Harness harness = new ThinMemoryBackstore(blockCount: 64).Harness();
        harness.Run(BlockTestCdbs.Sanitize(0x03, 0), null, edtl: 0).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal(1, harness.Run(Harness.Cdb(0xA3, 0x0C, 0x02, 0x48, 0, 0x03, 0, 0, 1, 0, 0, 0)).Data[1] & 0x07);
        Assert.False(harness.Unit.SanitizeInProgress);
    }

    [Fact]
    public void A_zero_pattern_overwrite_uses_the_backstores_write_zeroes()
    {
        var backstore = new ThinMemoryBackstore(blockCount: 4096, writeZeroes: true);
        Harness harness = ThinUnpaced(backstore);
        harness.Run(Harness.Write10(100, 1), Enumerable.Repeat((byte)0x5A, 512).ToArray()).AssertGood();
        int writes = backstore.Writes;

        byte[] zeros = OverwriteList(new byte[4]);
        harness.Run(BlockTestCdbs.Sanitize(0x01, (ushort)zeros.Length), zeros).AssertGood();
        Assert.Equal(writes, backstore.Writes);
        Assert.True(backstore.ZeroWrites > 0);
        Assert.All(backstore.Data, b => Assert.Equal(0, b));

        // INVERT: the second pass writes the inverted (all ones) pattern as data.
        byte[] inverted = OverwriteList(new byte[4], passes: 2, invert: true);
        harness.Run(BlockTestCdbs.Sanitize(0x01, (ushort)inverted.Length), inverted).AssertGood();
        Assert.True(backstore.Writes > writes);
        Assert.All(backstore.Data, b => Assert.Equal(0xFF, b));
    }
}
