namespace SharpSan.Scsi;

/// <summary>
/// Makes the atomic commands of one logical unit — COMPARE AND WRITE (SBC-3 5.2: "the compare and the
/// write shall be performed as an uninterrupted series of actions"), ORWRITE (5.13), WRITE ATOMIC
/// (SBC-4 5.48) and SANITIZE (5.30) — indivisible against every other writer of the unit, from any
/// I_T nexus, without taxing the ordinary WRITE path.
/// <para>
/// Ordinary writers (WRITE, WRITE AND VERIFY, WRITE SAME, UNMAP...) <see cref="TryEnter"/> and
/// <see cref="Exit"/>: one interlocked increment and one decrement, no lock, no allocation. An atomic
/// command <see cref="CloseAsync"/>s the gate: later writers find it closed and wait (the inline path
/// refuses and the fabric runs them asynchronously), writers already inside drain, then the atomic
/// command has the medium to itself until <see cref="Open"/>. Atomic commands queue for the gate one
/// at a time, in arrival order (a <see cref="SemaphoreSlim"/> is FIFO for async waiters in practice).
/// </para>
/// <para>
/// The gate covers the whole unit rather than the command's LBA range: an atomic command is short (at
/// most a few hundred blocks) and rare next to READ/WRITE traffic, and a range table would cost every
/// WRITE a lookup. Readers are not held back: SBC-3 asks atomicity of the compare-and-write against
/// writers only.
/// </para>
/// </summary>
internal sealed class AtomicWriteGate
{
    // _state: the count of writers inside (low 30 bits) and the closed flag (bit 30). One word, so a
    // writer's increment and an atomic command's close are ordered against each other (both are full
    // fences): either the writer sees the flag and backs out, or the closer counts the writer and waits.
    private const int Closed = 1 << 30;
    private int _state;

    private readonly SemaphoreSlim _atomic = new(1, 1);

    // Completed when the writers counted at closing time have left; set before the gate closes so the
    // last writer out always finds it.
    private volatile TaskCompletionSource? _drained;

    // Completed when the gate opens again; replaced before each closing so a writer that saw the gate
    // closed waits for the opening that follows.
    private volatile TaskCompletionSource _opened = NewSignal(completed: true);

    /// <summary>True while an atomic command holds (or is closing) the gate.</summary>
    public bool IsClosed => (Volatile.Read(ref _state) & Closed) != 0;

    /// <summary>Writers inside now (for tests and diagnostics).</summary>
    public int Writers => Volatile.Read(ref _state) & (Closed - 1);

    /// <summary>An ordinary writer comes in: true when the gate is open (call <see cref="Exit"/> when the
    /// write is done), false when an atomic command holds it (wait with <see cref="EnterAsync"/>).</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _state) < Closed)
        {
            return true;
        }

        Exit();
        return false;
    }

    /// <summary>An ordinary writer is done (after <see cref="TryEnter"/> or <see cref="EnterAsync"/>).</summary>
    public void Exit()
    {
        if (Interlocked.Decrement(ref _state) == Closed)
        {
            // The last writer left a closed gate: the atomic command waiting for the drain may go.
            _drained?.TrySetResult();
        }
    }

    /// <summary>An ordinary writer comes in, waiting while an atomic command holds the gate.</summary>
    public ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        return TryEnter() ? default : WaitAndEnter(cancellationToken);
    }

    private async ValueTask WaitAndEnter(CancellationToken cancellationToken)
    {
        do
        {
            await _opened.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        while (!TryEnter());
    }

    /// <summary>An atomic command takes the gate: waits for the atomic commands before it, closes the
    /// gate to new writers and waits for the writers inside to finish. Call <see cref="Open"/> after.</summary>
    public async ValueTask CloseAsync(CancellationToken cancellationToken)
    {
        await _atomic.WaitAsync(cancellationToken).ConfigureAwait(false);
        TaskCompletionSource drained = NewSignal(completed: false);
        _drained = drained;
        _opened = NewSignal(completed: false);
        int before = Interlocked.Or(ref _state, Closed);
        if ((before & (Closed - 1)) != 0)
        {
            // Writers already inside finish their I/O; they never wait on anything an atomic command holds.
            await drained.Task.ConfigureAwait(false);
        }
    }

    /// <summary>The atomic command is done: opens the gate and lets the waiting writers and the next
    /// atomic command in.</summary>
    public void Open()
    {
        _drained = null;
        Interlocked.And(ref _state, ~Closed);
        _opened.TrySetResult();
        _atomic.Release();
    }

    // Continuations run asynchronously so a writer or closer resumed by a signal never runs on the
    // thread that is completing another command.
    private static TaskCompletionSource NewSignal(bool completed)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            signal.SetResult();
        }

        return signal;
    }
}
