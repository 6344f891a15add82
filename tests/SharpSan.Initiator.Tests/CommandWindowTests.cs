namespace SharpSan.Initiator.Tests;

/// <summary>The CmdSN window on its own: RFC 7143 §4.2.2.1 rules with RFC 1982 serial arithmetic.</summary>
public sealed class CommandWindowTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    [Fact]
    public void Reset_StartsCmdSNAtTheLoginsExpCmdSN()
    {
        var w = new CommandWindow();
        w.Reset(1, expCmdSN: 100, maxCmdSN: 131, expStatSN: 7);
        Assert.Equal(100u, w.CmdSN);
        Assert.Equal(100u, w.ExpCmdSN);
        Assert.Equal(131u, w.MaxCmdSN);
        Assert.Equal(7u, w.ExpStatSN);
        Assert.Equal((100u, 7u), w.ForImmediate());
    }

    [Fact]
    public void Allocate_HandsOutConsecutiveCmdSNs_AndWrapsAtTwoToTheThirtyTwo()
    {
        var w = new CommandWindow();
        w.Reset(1, uint.MaxValue - 1, 5, 0);
        Assert.Equal(uint.MaxValue - 1, w.Allocate());
        Assert.Equal(uint.MaxValue, w.Allocate());
        Assert.Equal(0u, w.Allocate());
        Assert.Equal(1u, w.CmdSN); // immediate PDUs see the next CmdSN, without taking it
        Assert.Equal(1u, w.CmdSN);
    }

    [Fact]
    public void HasSpace_WhileCmdSNAtMostMaxCmdSN_AcrossTheWrap()
    {
        var w = new CommandWindow();
        w.Reset(1, uint.MaxValue, 0, 0); // window [0xffffffff, 0]: two commands
        Assert.True(w.HasSpace);
        w.Allocate();
        Assert.True(w.HasSpace);
        w.Allocate();
        Assert.False(w.HasSpace); // CmdSN 1 > MaxCmdSN 0
        Assert.True(w.Update(1, 1));
        Assert.True(w.HasSpace);
    }

    [Fact]
    public void Update_MovesOnlyForward()
    {
        var w = new CommandWindow();
        w.Reset(1, 10, 20, 0);
        Assert.False(w.Update(9, 19)); // older values are ignored
        Assert.Equal(10u, w.ExpCmdSN);
        Assert.Equal(20u, w.MaxCmdSN);
        Assert.False(w.Update(12, 20)); // ExpCmdSN moves, the window did not open
        Assert.Equal(12u, w.ExpCmdSN);
        Assert.True(w.Update(12, 21));
        Assert.Equal(21u, w.MaxCmdSN);
    }

    [Fact]
    public void Update_IgnoresAWindowWithMaxCmdSNBelowExpCmdSNMinusOne()
    {
        var w = new CommandWindow();
        w.Reset(1, 10, 20, 0);
        Assert.False(w.Update(30, 28)); // MaxCmdSN < ExpCmdSN - 1: both fields ignored
        Assert.Equal(10u, w.ExpCmdSN);
        Assert.Equal(20u, w.MaxCmdSN);
        w.Update(30, 29); // MaxCmdSN = ExpCmdSN - 1: a closed but valid window
        Assert.Equal(30u, w.ExpCmdSN);
        Assert.Equal(29u, w.MaxCmdSN);
    }

    [Fact]
    public void Update_ComparesAcrossTheWrap()
    {
        var w = new CommandWindow();
        w.Reset(1, uint.MaxValue - 2, uint.MaxValue, 0);
        Assert.True(w.Update(1, 3)); // 1 and 3 are after 0xfffffffd / 0xffffffff in serial arithmetic
        Assert.Equal(1u, w.ExpCmdSN);
        Assert.Equal(3u, w.MaxCmdSN);
        Assert.False(w.Update(uint.MaxValue, uint.MaxValue)); // before, not after
        Assert.Equal(3u, w.MaxCmdSN);
    }

    [Fact]
    public void AdvanceStatSN_AcknowledgesOnlyNewerStatus()
    {
        var w = new CommandWindow();
        w.Reset(1, 0, 0, uint.MaxValue);
        w.AdvanceStatSN(uint.MaxValue);
        Assert.Equal(0u, w.ExpStatSN);
        w.AdvanceStatSN(uint.MaxValue - 5); // an older StatSN does not move it back
        Assert.Equal(0u, w.ExpStatSN);
        w.AdvanceStatSN(3);
        Assert.Equal(4u, w.ExpStatSN);
    }

    [Fact]
    public async Task WaitForSpace_CompletesAtOnceWhenOpen()
    {
        var w = new CommandWindow();
        w.Reset(4, 0, 0, 0);
        var wait = w.WaitForSpaceAsync(4, Long, CancellationToken.None);
        Assert.True(wait.IsCompletedSuccessfully);
        Assert.True(await wait);
    }

    [Fact]
    public async Task WaitForSpace_WaitsUntilTheTargetOpensTheWindow()
    {
        var w = new CommandWindow();
        w.Reset(1, 5, 4, 0); // closed: MaxCmdSN = ExpCmdSN - 1
        var wait = w.WaitForSpaceAsync(1, Long, CancellationToken.None);
        await Task.Delay(50);
        Assert.False(wait.IsCompleted);
        w.Update(5, 5);
        Assert.True(await wait.WaitAsync(Long));
    }

    [Fact]
    public async Task WaitForSpace_ReturnsFalseWhenTheConnectionGoesAway()
    {
        var w = new CommandWindow();
        w.Reset(1, 5, 4, 0);
        var wait = w.WaitForSpaceAsync(1, Long, CancellationToken.None);
        w.Close();
        Assert.False(await wait.WaitAsync(Long));
        Assert.False(await w.WaitForSpaceAsync(1, Long, CancellationToken.None));
    }

    [Fact]
    public async Task WaitForSpace_ReturnsFalseForAReplacedGeneration()
    {
        var w = new CommandWindow();
        w.Reset(1, 5, 4, 0);
        var wait = w.WaitForSpaceAsync(1, Long, CancellationToken.None);
        w.Reset(2, 0, 10, 0); // a new connection: its window is open, but not for generation 1
        Assert.False(await wait.WaitAsync(Long));
        Assert.True(await w.WaitForSpaceAsync(2, Long, CancellationToken.None));
    }

    [Fact]
    public async Task WaitForSpace_TimesOutWhenTheWindowStaysShut()
    {
        var w = new CommandWindow();
        w.Reset(1, 5, 4, 0);
        await Assert.ThrowsAsync<TimeoutException>(() => w.WaitForSpaceAsync(1, TimeSpan.FromMilliseconds(100), CancellationToken.None));
    }

    [Fact]
    public async Task WaitForSpace_HonoursCancellation()
    {
        var w = new CommandWindow();
        w.Reset(1, 5, 4, 0);
        using var cts = new CancellationTokenSource();
        var wait = w.WaitForSpaceAsync(1, Long, cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
