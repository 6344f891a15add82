namespace SharpSan.Initiator.Tests;

public sealed class RecoveryTests
{
    [Fact]
    public async Task TargetRestart_InFlightWritesCompleteAfterReinstatement_AndDataIsThere()
    {
        var dir = Directory.CreateTempSubdirectory("sharpsan-init-");
        try
        {
            var file = Path.Combine(dir.FullName, "disk.img");
            await using var h = await TargetHarness.StartAsync(setup: new TargetSetup { File = file });
            var o = TargetHarness.LoginOptions();
            o.ReplacementTimeout = TimeSpan.FromSeconds(60);
            o.NopOutInterval = TimeSpan.FromSeconds(1);
            o.NopOutTimeout = TimeSpan.FromSeconds(2);
            await using var s = await h.LoginAsync(o);
            var dev = await BlockDevice.OpenAsync(s, 0);
            ushort firstTsih = s.Tsih;

            var rng = new Random(9);
            var blocks = Enumerable.Range(0, 256).Select(_ =>
            {
                var b = new byte[64 * 1024];
                rng.NextBytes(b);
                return b;
            }).ToArray();
            // Writes keep going while the target goes away and comes back.
            var halfway = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var writer = Task.Run(async () =>
            {
                var inFlight = new List<Task>();
                for (int i = 0; i < blocks.Length; i++)
                {
                    if (i == 64) halfway.TrySetResult();
                    inFlight.Add(dev.WriteAsync((ulong)i * 128, blocks[i]));
                    if (inFlight.Count >= 16)
                    {
                        await Task.WhenAll(inFlight);
                        inFlight.Clear();
                    }
                }
                await Task.WhenAll(inFlight);
            });
            await halfway.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await h.RestartAsync(TimeSpan.FromMilliseconds(500));
            await writer.WaitAsync(TimeSpan.FromSeconds(90));

            for (int i = 0; i < blocks.Length; i++)
            {
                var back = new byte[blocks[i].Length];
                await dev.ReadAsync((ulong)i * 128, back);
                Assert.True(blocks[i].AsSpan().SequenceEqual(back), $"block run {i} differs");
            }
            Assert.True(s.RecoveryCount >= 1, "the session never reconnected");
            Assert.NotEqual(0, firstTsih);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task TargetGone_CommandsFailAfterReplacementTimeout()
    {
        var h = await TargetHarness.StartAsync();
        var o = TargetHarness.LoginOptions();
        o.ReplacementTimeout = TimeSpan.FromSeconds(3);
        o.LoginTimeout = TimeSpan.FromSeconds(2);
        await using var s = await h.LoginAsync(o);
        await h.DisposeAsync();
        var ex = await Assert.ThrowsAsync<IscsiSessionException>(async () =>
            await s.ExecuteAsync(ScsiCommand.NoData(0, ScsiCdb.TestUnitReady())).AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("not re-established", ex.Message);
    }
}
