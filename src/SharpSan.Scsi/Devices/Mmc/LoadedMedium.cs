namespace SharpSan.Scsi.Devices.Mmc;

/// <summary>
/// A medium in an <see cref="MmcTray"/>, with the count of reads using it: a medium taken out of the
/// tray (eject, or another image loaded) is closed only once the reads that started on it are done,
/// so an in-flight READ never sees its file closed under it.
/// </summary>
internal sealed class LoadedMedium
{
    private readonly object _lock = new();
    private int _users;
    private bool _retired;
    private TaskCompletionSource? _idle;

    public LoadedMedium(IBackstore backstore) => Backstore = backstore;

    public IBackstore Backstore { get; }

    /// <summary>Counts one more user, unless the medium has left the tray.</summary>
    public bool TryEnter()
    {
        lock (_lock)
        {
            if (_retired)
            {
                return false;
            }

            _users++;
            return true;
        }
    }

    public void Exit()
    {
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            _users--;
            if (_retired && _users == 0)
            {
                idle = _idle;
            }
        }

        idle?.TrySetResult();
    }

    /// <summary>Takes the medium out of service: waits for its current users, then closes it.</summary>
    public async Task RetireAsync()
    {
        Task wait;
        lock (_lock)
        {
            _retired = true;
            if (_users == 0)
            {
                wait = Task.CompletedTask;
            }
            else
            {
                _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _idle.Task;
            }
        }

        await wait.ConfigureAwait(false);
        await Backstore.DisposeAsync().ConfigureAwait(false);
    }
}
