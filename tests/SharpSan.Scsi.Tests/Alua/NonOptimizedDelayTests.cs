namespace SharpSan.Scsi.Tests.Alua;

/// <summary>LIO's nonop_delay_msecs: a command through a port of an active/non-optimized group waits
/// that long before it runs (never inline); an optimized port's commands, and a delay of 0, do not wait.</summary>
public sealed class NonOptimizedDelayTests
{
    private static LogicalUnit Unit(Harness h, int delayMs)
    {
        var left = new TargetPortGroupSettings { Name = "left", Id = 1 };
        var right = new TargetPortGroupSettings { Name = "right", Id = 2, State = AsymmetricAccessState.ActiveNonOptimized, NonOptimizedDelayMs = delayMs };
        h.Unit.Alua.Configure([TargetPortGroupSettings.Default, left, right], new Dictionary<ushort, string> { [1] = "left", [2] = "right" });
        return h.Unit;
    }

    private static ScsiTask Prepared(Harness h, ItNexus nexus)
    {
        var task = new ScsiTask { Nexus = nexus, LunMap = h.Map, Lun = 0, CdbLength = 10 };
        Harness.Read10(0, 1).CopyTo(task.CdbBuffer);
        task.ExpectedDirection = DataDirection.Read;
        task.ExpectedDataTransferLength = 512;
        Assert.True(ScsiDispatcher.Prepare(task));
        task.Buffer = new byte[512];
        return task;
    }

    [Fact]
    public async Task A_command_through_a_non_optimized_port_waits_its_delay_and_then_runs()
    {
        var h = new Harness();
        Unit(h, 200);
        var task = Prepared(h, AluaFixture.NexusC);
        Assert.Equal(200, task.AccessDelayMs);
        Assert.False(ScsiDispatcher.TryExecuteInline(task));
        var started = System.Diagnostics.Stopwatch.StartNew();
        var pending = ScsiDispatcher.ExecuteAsync(task, CancellationToken.None);
        Assert.False(pending.IsCompleted);
        await pending;
        Assert.True(started.ElapsedMilliseconds >= 150, $"ran after {started.ElapsedMilliseconds} ms");
        Assert.Equal(ScsiStatus.Good, task.Status);
        Assert.Equal(512, task.DataLength);
    }

    [Fact]
    public void Optimized_ports_and_a_zero_delay_do_not_wait()
    {
        var h = new Harness();
        Unit(h, 200);
        Assert.Equal(0, Prepared(h, Harness.NexusA).AccessDelayMs);

        var h0 = new Harness();
        Unit(h0, 0);
        Assert.Equal(0, Prepared(h0, AluaFixture.NexusC).AccessDelayMs);
    }

    [Fact]
    public async Task An_abort_ends_the_wait_and_the_command_does_not_run()
    {
        var h = new Harness();
        Unit(h, 60_000);
        var task = Prepared(h, AluaFixture.NexusC);
        using var abort = new CancellationTokenSource();
        task.AbortToken = abort.Token;
        var pending = ScsiDispatcher.ExecuteAsync(task, CancellationToken.None).AsTask();
        abort.Cancel();
        await pending.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, task.DataLength);
    }
}
