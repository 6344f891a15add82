namespace SharpSan.Initiator;

/// <summary>A level-triggered wake-up for waiters (CmdSN window space, connection state changes):
/// <see cref="Set"/> releases everyone waiting now. Allocates only when someone waits.</summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource? _waiters;
    private readonly object _lock = new();

    public Task WaitTask
    {
        get
        {
            lock (_lock) return (_waiters ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    public void Set()
    {
        TaskCompletionSource? w;
        lock (_lock)
        {
            w = _waiters;
            _waiters = null;
        }
        w?.TrySetResult();
    }
}
