namespace SharpSan.Scsi.Tests;

/// <summary>ScsiDispatcher.TryExecuteInline: same results as ExecuteAsync when it runs, and it only runs
/// READ/WRITE on a backstore that accepts non-blocking I/O.</summary>
public class InlineExecutionTests
{
    private static Harness InlineHarness(bool servesInline = true) =>
        new(new MemoryBackstore { ServesInline = servesInline });

    [Fact]
    public void Read_and_write_complete_inline_with_the_data_of_the_blocking_path()
    {
        var harness = InlineHarness();
        byte[] data = Harness.Pattern(4 * 512, 7);
        harness.Run(Harness.Write10(40, 4), data, inline: true).AssertGood();
        Assert.True(harness.InlineCompleted);
        Result read = harness.Run(Harness.Read10(40, 4), inline: true);
        Assert.True(harness.InlineCompleted);
        read.AssertGood();
        Assert.Equal(data, read.Data);
        Assert.Equal((2, 0, 0), (harness.Backstore.InlineWrites + harness.Backstore.InlineReads, harness.Backstore.Reads, harness.Backstore.Writes));
    }

    [Fact]
    public void Fua_reaches_the_backstore_on_the_inline_path()
    {
        var harness = InlineHarness();
        harness.Run(Harness.Write10(8, 1, 0x08), new byte[512], inline: true).AssertGood();
        Assert.True(harness.InlineCompleted);
        Assert.Equal(WriteFlags.Fua, harness.Backstore.LastWriteFlags);
    }

    [Fact]
    public void A_backstore_that_could_block_is_left_to_ExecuteAsync()
    {
        var harness = InlineHarness(servesInline: false);
        byte[] data = Harness.Pattern(512, 3);
        harness.Run(Harness.Write10(1, 1), data, inline: true).AssertGood();
        Assert.False(harness.InlineCompleted);
        Result read = harness.Run(Harness.Read10(1, 1), inline: true);
        Assert.False(harness.InlineCompleted);
        Assert.Equal(data, read.Data);
        Assert.Equal((1, 1), (harness.Backstore.Reads, harness.Backstore.Writes));
    }

    [Fact]
    public void Commands_other_than_read_and_write_and_large_transfers_are_not_run_inline()
    {
        var harness = InlineHarness();
        harness.Run(Harness.Cdb(0x12, 0, 0, 0, 96, 0), inline: true).AssertGood(); // INQUIRY
        Assert.False(harness.InlineCompleted);
        int blocks = ScsiDispatcher.InlineTransferLimit / 512 + 1;
        harness.Run(Harness.Read10(0, (ushort)blocks), inline: true, edtl: (uint)(blocks * 512)).AssertGood();
        Assert.False(harness.InlineCompleted);
        Assert.Equal(0, harness.Backstore.InlineReads);
    }

    [Fact]
    public void A_medium_error_inline_becomes_sense_data_as_on_the_blocking_path()
    {
        var harness = InlineHarness();
        harness.Backstore.FailReads = true;
        Result read = harness.Run(Harness.Read10(0, 1), inline: true);
        Assert.True(harness.InlineCompleted);
        Assert.Equal(ScsiStatus.CheckCondition, read.Status);
        Assert.Equal(0x03, read.Sense[2] & 0x0F); // MEDIUM ERROR
        Assert.Equal(0x11, read.Sense[12]); // UNRECOVERED READ ERROR
        Assert.Empty(read.Data);
    }
}
