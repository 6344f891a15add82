using System.Buffers.Binary;

namespace SharpSan.Scsi.Tests.Reporting;

/// <summary>LOG SENSE (SPC-4 6.6) and LOG SELECT (SPC-4 6.5).</summary>
public sealed class LogPageTests
{
    private static byte[] LogSense(int page, int subpage = 0, int pointer = 0, int allocation = 1024, int byte1 = 0, int pc = 1) =>
        Harness.Cdb(0x4D, byte1, (pc << 6) | page, subpage, 0, pointer >> 8, pointer & 0xFF, allocation >> 8, allocation & 0xFF, 0);

    private static byte[] LogSelect(int byte1, int page, int subpage, int length) =>
        Harness.Cdb(0x4C, byte1, page, subpage, 0, 0, 0, length >> 8, length & 0xFF, 0);

    [Fact]
    public void Supported_pages_and_subpages()
    {
        var harness = new Harness();
        byte[] pages = harness.Run(LogSense(0x00)).Data;
        Assert.Equal(0x00, pages[0] & 0x3F);
        Assert.Equal(new byte[] { 0x00, 0x0C, 0x0D, 0x0E, 0x10, 0x2F }, pages[4..]);
        Assert.Equal(pages.Length - 4, BinaryPrimitives.ReadUInt16BigEndian(pages.AsSpan(2)));

        byte[] subpages = harness.Run(LogSense(0x00, 0xFF)).Data;
        Assert.Equal(0x40, subpages[0] & 0x40); // SPF
        Assert.Equal(0xFF, subpages[1]);
        Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 0xFF, 0x0C, 0x00, 0x0D, 0x00, 0x0E, 0x00, 0x10, 0x00, 0x2F, 0x00 }, subpages[4..]);
    }

    [Theory]
    [InlineData(0x0C, 2)]
    [InlineData(0x0D, 2)]
    [InlineData(0x0E, 6)]
    [InlineData(0x10, 20)]
    [InlineData(0x2F, 1)]
    public void Every_page_is_a_well_formed_parameter_list(int page, int parameters)
    {
        byte[] data = new Harness().Run(LogSense(page)).Data;
        Assert.Equal(page, data[0] & 0x3F);
        Assert.Equal(data.Length - 4, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(2)));
        int count = 0;
        int previous = -1;
        for (int offset = 4; offset < data.Length; offset += 4 + data[offset + 3])
        {
            int code = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(offset));
            Assert.True(code > previous, "parameters in ascending order");
            previous = code;
            count++;
        }

        Assert.Equal(parameters, count);
    }

    [Fact]
    public void Temperature_is_not_available()
    {
        byte[] data = new Harness().Run(LogSense(0x0D)).Data;
        Assert.Equal(0xFF, data[4 + 5]);
    }

    [Fact]
    public void Provisioning_page_counts_a_fully_provisioned_lu_and_a_thin_one()
    {
        byte[] full = new Harness().Run(LogSense(0x0C)).Data;
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(full.AsSpan(8)));     // available
        Assert.Equal(2048u, BinaryPrimitives.ReadUInt32BigEndian(full.AsSpan(20)));  // used

        var thin = new Harness(new LogicalUnit(new ThinBackstore(300), Harness.Identity));
        byte[] data = thin.Run(LogSense(0x0C)).Data;
        Assert.Equal(1748u, BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(8)));
        Assert.Equal(300u, BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(20)));
        Assert.Equal(0x01, data[12] & 0x03); // SCOPE: dedicated to the logical unit
    }

    [Fact]
    public void Parameter_pointer_starts_the_list_at_that_code()
    {
        var harness = new Harness();
        byte[] data = harness.Run(LogSense(0x10, pointer: 0x0013)).Data;
        Assert.Equal(2 * 20, data.Length - 4);
        Assert.Equal(0x0013, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(4)));

        Result beyond = harness.Run(LogSense(0x10, pointer: 0x0015));
        beyond.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((5, 7), (beyond.FieldByte, beyond.FieldBit));
        harness.Run(LogSense(0x00, pointer: 1)).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Theory]
    [InlineData("SP", 0x01, 0x0D, 0, 1, 0)]
    [InlineData("PPC", 0x02, 0x0D, 0, 1, 1)]
    [InlineData("unsupported page", 0x00, 0x15, 0, 2, 5)]
    [InlineData("unsupported subpage", 0x00, 0x0D, 0x01, 3, 7)]
    public void Log_sense_refusals(string name, int byte1, int page, int subpage, int fieldByte, int fieldBit)
    {
        Result result = new Harness().Run(LogSense(page, subpage, byte1: byte1));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.True((fieldByte, fieldBit) == (result.FieldByte, result.FieldBit), $"{name}: {result.FieldByte}/{result.FieldBit}");
    }

    [Fact]
    public void Allocation_length_truncates()
    {
        Result result = new Harness().Run(LogSense(0x10, allocation: 8));
        result.AssertGood();
        Assert.Equal(8, result.Data.Length);
    }

    [Fact]
    public void Log_select_resets_and_refuses_changes()
    {
        var harness = new Harness();
        harness.Run(LogSelect(0x02, 0x40, 0, 0)).AssertGood();                 // PCR, cumulative values
        harness.Run(LogSelect(0x00, 0x40 | 0x0D, 0, 0)).AssertGood();          // one page to its defaults
        harness.Run(LogSelect(0x00, 0x40 | 0x15, 0, 0)).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);

        Result pcrWithList = harness.Run(LogSelect(0x02, 0x40, 0, 8), new byte[8]);
        pcrWithList.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((1, 1), (pcrWithList.FieldByte, pcrWithList.FieldBit));

        Result sp = harness.Run(LogSelect(0x01, 0x40, 0, 0));
        sp.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((1, 0), (sp.FieldByte, sp.FieldBit));

        byte[] temperature = [0x0D, 0x00, 0x00, 0x06, 0x00, 0x00, 0x03, 0x02, 0x00, 0x20];
        Result change = harness.Run(LogSelect(0x00, 0x40, 0, temperature.Length), temperature);
        change.AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.Equal(4, change.FieldByte);

        byte[] empty = [0x0D, 0x00, 0x00, 0x00];
        harness.Run(LogSelect(0x00, 0x40, 0, empty.Length), empty).AssertGood();
        byte[] truncated = [0x0D, 0x00, 0x00, 0x08, 0x00];
        harness.Run(LogSelect(0x00, 0x40, 0, truncated.Length), truncated).AssertSense(SenseKey.IllegalRequest, 0x1A, 0x00);
    }

    private sealed class ThinBackstore(ulong mapped) : IBackstore, IProvisioningStatus
    {
        private readonly MemoryBackstore _inner = new();
        public string Name => _inner.Name;
        public string Plugin => _inner.Plugin;
        public int BlockSize => _inner.BlockSize;
        public ulong BlockCount => _inner.BlockCount;
        public bool WriteCacheEnabled => _inner.WriteCacheEnabled;
        public bool ReadOnly => _inner.ReadOnly;
        public BackstoreCapabilities Capabilities { get; } = BackstoreCapabilities.Disk with { ThinProvisioned = true };
        public ValueTask ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken) => _inner.ReadAsync(lba, buffer, cancellationToken);
        public ValueTask WriteAsync(ulong lba, ReadOnlyMemory<byte> data, WriteFlags flags, CancellationToken cancellationToken) => _inner.WriteAsync(lba, data, flags, cancellationToken);
        public ValueTask FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
        public ValueTask DisposeAsync() => _inner.DisposeAsync();

        public bool TryGetMappedBlockCount(out ulong mappedBlocks)
        {
            mappedBlocks = mapped;
            return true;
        }
    }
}
