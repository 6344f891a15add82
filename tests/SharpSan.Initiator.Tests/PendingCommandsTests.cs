using System.Buffers;
using SharpSan.Protocol;

namespace SharpSan.Initiator.Tests;

/// <summary>The pending-command table on its own: ITT allocation, registration, lookup, completion.</summary>
public sealed class PendingCommandsTests
{
    private static PendingCommand Command(long sequence, ulong lun = 0)
        => new(ScsiCommand.NoData(lun, new byte[6]), sequence);

    [Fact]
    public void NextItt_StartsAt0x10_AndSkipsTheReservedTag()
    {
        var t = new PendingCommands();
        Assert.Equal(PendingCommands.FirstItt, t.NextItt());
        Assert.Equal(PendingCommands.FirstItt + 1, t.NextItt());
        t = new PendingCommands(Bhs.ReservedTag - 1);
        Assert.Equal(Bhs.ReservedTag - 1, t.NextItt());
        Assert.Equal(PendingCommands.FirstItt, t.NextItt()); // 0xffffffff is never handed out (§11.2.1.8)
    }

    [Fact]
    public void Add_AssignsAFreshItt_AndPublishesItOnTheCommand()
    {
        var t = new PendingCommands();
        var a = Command(1);
        var b = Command(2);
        t.Add(a);
        t.Add(b);
        Assert.NotEqual(a.Itt, b.Itt);
        Assert.Equal(a.Itt, a.Command.InitiatorTaskTag);
        Assert.Same(a, t.Find(a.Itt));
        Assert.Same(b, t.Find(b.Command));
        Assert.Equal(2, t.Count);
        Assert.Null(t.Find(0xdead));
    }

    [Fact]
    public void Find_ByCommand_RequiresTheSameCommandObject()
    {
        var t = new PendingCommands();
        var a = Command(1);
        t.Add(a);
        var stranger = ScsiCommand.NoData(0, new byte[6]);
        stranger.InitiatorTaskTag = a.Itt;
        Assert.Null(t.Find(stranger));
    }

    [Fact]
    public async Task Complete_UnregistersAndDeliversTheResult()
    {
        var t = new PendingCommands();
        var a = Command(1);
        t.Add(a);
        var result = new ScsiResult(0, Array.Empty<byte>(), false, false, 0, 0);
        t.Complete(a, result);
        Assert.Null(t.Find(a.Itt));
        Assert.Equal(0, t.Count);
        Assert.Same(result, await a.Task);
        Assert.False(t.Remove(a)); // already gone
    }

    [Fact]
    public async Task Fail_UnregistersAndFailsTheCommand()
    {
        var t = new PendingCommands();
        var a = Command(1);
        t.Add(a);
        t.Fail(a, new IOException("x"));
        Assert.Equal(0, t.Count);
        await Assert.ThrowsAsync<IOException>(() => a.Task);
    }

    [Fact]
    public void Remove_LeavesAnotherCommandUnderTheSameTagAlone()
    {
        var t = new PendingCommands();
        var a = Command(1);
        t.Add(a);
        var impostor = Command(2);
        impostor.Itt = a.Itt;
        Assert.False(t.Remove(impostor));
        Assert.Same(a, t.Find(a.Itt));
    }

    [Fact]
    public void RemoveForLun_TakesOnlyThatLunsCommands()
    {
        var t = new PendingCommands();
        var a = Command(1, lun: 0);
        var b = Command(2, lun: 1);
        var c = Command(3, lun: 1);
        t.Add(a);
        t.Add(b);
        t.Add(c);
        var removed = t.RemoveForLun(1);
        Assert.Equal(2, removed.Count);
        Assert.Contains(b, removed);
        Assert.Contains(c, removed);
        Assert.Same(a, t.Find(a.Itt));
        Assert.Equal(1, t.Count);
    }

    [Fact]
    public void InIssueOrder_SortsBySequence_NotByTag()
    {
        var t = new PendingCommands();
        var late = Command(30);
        var early = Command(10);
        var middle = Command(20);
        t.Add(late);
        t.Add(early);
        t.Add(middle);
        Assert.Equal(new[] { early, middle, late }, t.InIssueOrder());
    }

    [Fact]
    public void CollectExpired_ReturnsNullWhenNothingIsOld()
    {
        var t = new PendingCommands();
        var a = Command(1);
        t.Add(a);
        Assert.Null(t.CollectExpired(a.IssuedAt, TimeSpan.FromSeconds(1)));
        long later = a.IssuedAt + 2 * System.Diagnostics.Stopwatch.Frequency;
        Assert.Equal(new[] { a }, t.CollectExpired(later, TimeSpan.FromSeconds(1)));
        Assert.Same(a, t.Find(a.Itt)); // collecting does not remove
    }

    [Fact]
    public void InFlight_ListsTheOutstandingCompletions()
    {
        var t = new PendingCommands();
        var a = Command(1);
        var b = Command(2);
        t.Add(a);
        t.Add(b);
        var tasks = t.InFlight();
        Assert.Equal(2, tasks.Length);
        Assert.Contains(a.Task, tasks);
        Assert.Contains(b.Task, tasks);
    }

    [Fact]
    public async Task ImmediateRequests_CompleteWithACopyOfTheResponse()
    {
        var t = new PendingCommands();
        uint itt = t.NextItt();
        var waiter = t.RegisterImmediate(itt);
        var header = new byte[Bhs.Length];
        header[0] = (byte)Opcode.LogoutResponse;
        var frame = new PduFrame(new ReadOnlySequence<byte>(header), ReadOnlySequence<byte>.Empty, new ReadOnlySequence<byte>(new byte[] { 1, 2 }), default);
        t.CompleteImmediate(itt + 1, frame); // nobody waits for that tag
        Assert.False(waiter.Task.IsCompleted);
        t.CompleteImmediate(itt, frame);
        header[0] = 0; // the waiter holds its own copy
        var pdu = await waiter.Task;
        Assert.Equal(Opcode.LogoutResponse, pdu.Opcode);
        Assert.Equal(new byte[] { 1, 2 }, pdu.Data);
    }

    [Fact]
    public async Task FailAll_FailsCommandsAndImmediateRequests_AndEmptiesTheTable()
    {
        var t = new PendingCommands();
        var a = Command(1);
        t.Add(a);
        var waiter = t.RegisterImmediate(t.NextItt());
        t.FailAll(new IscsiSessionException("gone"));
        Assert.Equal(0, t.Count);
        await Assert.ThrowsAsync<IscsiSessionException>(() => a.Task);
        await Assert.ThrowsAsync<IscsiSessionException>(() => waiter.Task);
    }

    [Fact]
    public async Task FailImmediate_FailsOnlyThatRequest()
    {
        var t = new PendingCommands();
        uint first = t.NextItt(), second = t.NextItt();
        var w1 = t.RegisterImmediate(first);
        var w2 = t.RegisterImmediate(second);
        t.FailImmediate(first, new IscsiSessionException("rejected"));
        await Assert.ThrowsAsync<IscsiSessionException>(() => w1.Task);
        Assert.False(w2.Task.IsCompleted);
    }
}
