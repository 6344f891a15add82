namespace SharpSan.Scsi.Tests.Block;

public class AtomicWriteGateTests
{
    [Fact]
    public void Writers_pass_an_open_gate_and_are_counted()
    {
        var gate = new AtomicWriteGate();
        Assert.True(gate.TryEnter());
        Assert.True(gate.TryEnter());
        Assert.Equal(2, gate.Writers);
        gate.Exit();
        gate.Exit();
        Assert.Equal(0, gate.Writers);
        Assert.False(gate.IsClosed);
    }

    [Fact]
    public async Task Closing_waits_for_the_writers_inside_and_turns_new_writers_away()
    {
        var gate = new AtomicWriteGate();
        Assert.True(gate.TryEnter());

        ValueTask closing = gate.CloseAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(closing.IsCompleted);
        Assert.False(gate.TryEnter());

        gate.Exit();
        await closing.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(gate.IsClosed);

        ValueTask waiting = gate.EnterAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);

        gate.Open();
        await waiting.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, gate.Writers);
        gate.Exit();
    }

    [Fact]
    public async Task Atomic_commands_take_the_gate_one_at_a_time()
    {
        var gate = new AtomicWriteGate();
        await gate.CloseAsync(CancellationToken.None);
        ValueTask second = gate.CloseAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        gate.Open();
        await second.AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(gate.IsClosed);
        gate.Open();
        Assert.False(gate.IsClosed);
    }

    /// <summary>
    /// Writers and atomic read-modify-writes hammer one gate from many threads: no writer is ever
    /// inside while an atomic operation runs, and no atomic increment of a shared counter — read,
    /// yield, write back — is lost.
    /// </summary>
    [Fact]
    public async Task No_writer_overlaps_an_atomic_operation_and_no_update_is_lost()
    {
        var gate = new AtomicWriteGate();
        int inside = 0;
        int atomicHeld = 0;
        int violations = 0;
        long counter = 0;
        const int Workers = 8;
        const int Rounds = 300;

        async Task Writer(int seed)
        {
            var random = new Random(seed);
            for (int i = 0; i < Rounds; i++)
            {
                await gate.EnterAsync(CancellationToken.None);
                Interlocked.Increment(ref inside);
                if (Volatile.Read(ref atomicHeld) != 0) Interlocked.Increment(ref violations);
                if (random.Next(4) == 0) await Task.Yield();
                if (Volatile.Read(ref atomicHeld) != 0) Interlocked.Increment(ref violations);
                Interlocked.Decrement(ref inside);
                gate.Exit();
            }
        }

        async Task Atomic()
        {
            for (int i = 0; i < Rounds; i++)
            {
                await gate.CloseAsync(CancellationToken.None);
                if (Interlocked.Exchange(ref atomicHeld, 1) != 0) Interlocked.Increment(ref violations);
                if (Volatile.Read(ref inside) != 0) Interlocked.Increment(ref violations);
                long value = Volatile.Read(ref counter);
                await Task.Yield();
                Volatile.Write(ref counter, value + 1);
                if (Volatile.Read(ref inside) != 0) Interlocked.Increment(ref violations);
                Volatile.Write(ref atomicHeld, 0);
                gate.Open();
            }
        }

        var tasks = new List<Task>();
        for (int w = 0; w < Workers; w++)
        {
            int seed = w;
            tasks.Add(Task.Run(() => Writer(seed)));
            tasks.Add(Task.Run(Atomic));
        }

        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, violations);
        Assert.Equal(Workers * Rounds, counter);
        Assert.Equal(0, gate.Writers);
        Assert.False(gate.IsClosed);
    }
}
