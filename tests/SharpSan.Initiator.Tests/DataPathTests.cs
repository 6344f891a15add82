using SharpSan.Protocol;
namespace SharpSan.Initiator.Tests;

public sealed class DataPathTests
{
    private static async Task RandomRoundTripsAsync(IscsiSession s, int seed, int count = 48)
    {
        var dev = await BlockDevice.OpenAsync(s, 0);
        var rng = new Random(seed);
        int[] sizes = { 1, 2, 7, 8, 64, 129, 512, 1024, 2048, 4096, 8192 }; // blocks: 512 B .. 4 MiB
        var writes = new List<(ulong Lba, byte[] Data)>();
        ulong next = 0;
        for (int i = 0; i < count; i++)
        {
            int blocks = sizes[rng.Next(sizes.Length)];
            if (next + (ulong)blocks > dev.BlockCount) next = 0;
            var data = new byte[blocks * dev.BlockSize];
            rng.NextBytes(data);
            writes.Add((next, data));
            next += (ulong)blocks;
            if (next >= dev.BlockCount) next = 0;
        }
        // Non-overlapping batches in flight at once; then read everything back concurrently.
        foreach (var batch in Batches(writes))
        {
            await Task.WhenAll(batch.Select(w => dev.WriteAsync(w.Lba, w.Data)));
            var back = batch.Select(w => new byte[w.Data.Length]).ToArray();
            await Task.WhenAll(batch.Select((w, i) => dev.ReadAsync(w.Lba, back[i])));
            for (int i = 0; i < batch.Count; i++) Assert.True(batch[i].Data.AsSpan().SequenceEqual(back[i]), $"data mismatch at LBA {batch[i].Lba}");
        }
    }

    /// <summary>Groups writes so that no two in a group overlap.</summary>
    private static List<List<(ulong Lba, byte[] Data)>> Batches(List<(ulong Lba, byte[] Data)> writes)
    {
        var result = new List<List<(ulong, byte[])>>();
        var current = new List<(ulong Lba, byte[] Data)>();
        foreach (var w in writes)
        {
            bool overlaps = current.Any(c => w.Lba < c.Lba + (ulong)c.Data.Length / 512 && c.Lba < w.Lba + (ulong)w.Data.Length / 512);
            if (overlaps)
            {
                result.Add(current);
                current = new();
            }
            current.Add(w);
        }
        if (current.Count > 0) result.Add(current);
        return result;
    }

    [Fact]
    public async Task PipelinedRandomWritesAndReads_Default()
    {
        await using var h = await TargetHarness.StartAsync();
        await using var s = await h.LoginAsync();
        await RandomRoundTripsAsync(s, 1);
    }

    [Theory]
    [InlineData("Yes", "No", "65536", "1")]      // no unsolicited data at all: every byte by R2T
    [InlineData("Yes", "Yes", "65536", "1")]     // immediate data, then R2Ts
    [InlineData("No", "No", "65536", "4")]       // unsolicited Data-Out, no immediate data
    [InlineData("No", "Yes", "16384", "8")]      // small bursts: many R2Ts outstanding
    public async Task PipelinedRandomWritesAndReads_TpgParameters(string initialR2T, string immediateData, string maxBurst, string maxR2T)
    {
        await using var h = await TargetHarness.StartAsync(cfg =>
        {
            var p = cfg.Targets[0].Tpgs[0].Parameters;
            p["InitialR2T"] = initialR2T;
            p["ImmediateData"] = immediateData;
            p["MaxBurstLength"] = maxBurst;
            p["FirstBurstLength"] = "8192";
            p["MaxOutstandingR2T"] = maxR2T;
            p["MaxRecvDataSegmentLength"] = "8192";
        });
        await using var s = await h.LoginAsync();
        Assert.Equal(initialR2T == "Yes", s.Parameters.InitialR2T);
        Assert.Equal(immediateData == "Yes", s.Parameters.ImmediateData);
        Assert.Equal(int.Parse(maxBurst), s.Parameters.MaxBurstLength);
        Assert.Equal(8192, s.Parameters.MaxXmitDataSegmentLength);
        await RandomRoundTripsAsync(s, 2, 24);
    }

    [Fact]
    public async Task BlockDevice_ReportsGeometryAndIdentity()
    {
        await using var h = await TargetHarness.StartAsync();
        await using var s = await h.LoginAsync();
        var dev = await BlockDevice.OpenAsync(s, 0);
        Assert.Equal(512, dev.BlockSize);
        Assert.Equal((ulong)(16 << 20) / 512, dev.BlockCount);
        Assert.False(string.IsNullOrEmpty(dev.Vendor));
        Assert.False(string.IsNullOrEmpty(dev.Product));
        Assert.True(dev.MaxTransferBlocks > 0);
        await dev.FlushAsync();
        await dev.WriteAsync(0, new byte[4096], fua: true);
    }

    [Fact]
    public async Task ReadBeyondTheEnd_IsIllegalRequest_LbaOutOfRange()
    {
        await using var h = await TargetHarness.StartAsync();
        await using var s = await h.LoginAsync();
        var dev = await BlockDevice.OpenAsync(s, 0);
        var ex = await Assert.ThrowsAsync<ScsiCommandException>(() => dev.ReadAsync(dev.BlockCount, new byte[512]));
        Assert.Equal(ScsiResult.CheckCondition, ex.Status);
        Assert.Equal(SharpSan.Scsi.SenseKey.IllegalRequest, ex.Sense!.Value.SenseKey);
        Assert.Equal(0x21, ex.Sense.Value.Asc);
        Assert.Equal(0x00, ex.Sense.Value.Ascq);
    }

    [Fact]
    public async Task Residuals_UnderflowAndOverflow()
    {
        await using var h = await TargetHarness.StartAsync();
        await using var s = await h.LoginAsync();
        // Underflow: standard INQUIRY data is shorter than the 255 bytes we allow.
        var inquiry = new byte[255];
        var r = await s.ExecuteAsync(ScsiCommand.Read(0, ScsiCdb.Inquiry(255), inquiry));
        Assert.True(r.IsGood);
        Assert.True(r.ResidualUnderflow);
        Assert.Equal(255 - r.BytesTransferred, r.ResidualCount);
        // Overflow: READ(10) of 2 blocks with an expected length of 1 block.
        var one = new byte[512];
        var o = await s.ExecuteAsync(ScsiCommand.Read(0, ScsiCdb.Read10(0, 2), one));
        Assert.True(o.ResidualOverflow);
        Assert.Equal(512, o.ResidualCount);
    }

    [Fact]
    public async Task Unmap_SupportedOrClearlyRefused()
    {
        await using var h = await TargetHarness.StartAsync();
        await using var s = await h.LoginAsync();
        var dev = await BlockDevice.OpenAsync(s, 0);
        if (dev.SupportsUnmap) await dev.UnmapAsync(0, 8);
        else Assert.Contains("UNMAP", (await Assert.ThrowsAsync<NotSupportedException>(() => dev.UnmapAsync(0, 8))).Message);
    }

    [Fact]
    public async Task AbortTask_AndLunReset()
    {
        await using var h = await TargetHarness.StartAsync();
        await using var s = await h.LoginAsync();
        var cmd = ScsiCommand.NoData(0, ScsiCdb.TestUnitReady());
        Assert.True((await s.ExecuteAsync(cmd)).IsGood);
        // The task finished: the target answers "function complete" or "task does not exist".
        var abort = await s.AbortTaskAsync(cmd);
        Assert.True(abort is TaskManagementResponseCode.FunctionComplete or TaskManagementResponseCode.TaskDoesNotExist, abort.ToString());
        Assert.Equal(TaskManagementResponseCode.FunctionComplete, await s.LunResetAsync(0));
        // The reset leaves a unit attention, which BlockDevice retries past.
        var dev = await BlockDevice.OpenAsync(s, 0);
        await dev.ReadAsync(0, new byte[512]);
        Assert.True((await s.ExecuteAsync(ScsiCommand.NoData(0, ScsiCdb.TestUnitReady()))).IsGood);
    }

    [Fact]
    public async Task ManyCommandsInFlight_BeyondTheWindow()
    {
        await using var h = await TargetHarness.StartAsync(options: new SharpSan.Target.TargetOptions { CommandWindow = 4 });
        await using var s = await h.LoginAsync();
        var tasks = Enumerable.Range(0, 200).Select(async i =>
        {
            var buf = new byte[512];
            return await s.ExecuteAsync(ScsiCommand.Read(0, ScsiCdb.Read10((uint)i, 1), buf));
        }).ToArray();
        var results = await Task.WhenAll(tasks);
        Assert.All(results, r => Assert.True(r.IsGood));
    }
}
