namespace SharpSan.Scsi;

/// <summary>
/// A logical unit's persistent reservations (SPC-4 5.13): the published <see cref="PersistentReservationState"/>
/// every command's conflict check reads without a lock, and the one writer path PERSISTENT RESERVE OUT
/// takes: serialised by an async gate, computed by <see cref="PersistentReserveOutActions"/>, made durable
/// first when APTPL is set (a command is never answered GOOD for a state a crash could lose), then published.
/// </summary>
internal sealed class PersistentReservationManager
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile PersistentReservationState _state = PersistentReservationState.Empty;
    private volatile IPersistentReservationStore? _store;

    public PersistentReservationState State => _state;

    /// <summary>PTPL_C (SPC-4 6.15.4): APTPL=1 can be honoured because a store is attached.</summary>
    public bool PersistThroughPowerLossCapable => _store is not null;

    /// <summary>The per-command check (SPC-4 5.13.1 table 5.6): one volatile read while nothing is reserved.</summary>
    public bool Conflicts(ItNexus nexus, CommandFlags flags, ReadOnlySpan<byte> cdb)
    {
        PersistentReservationState state = _state;
        return state.IsReserved && ReservationConflict.Conflicts(state, nexus, flags, cdb);
    }

    /// <summary>Attaches the store APTPL state is saved to and restores what it holds (as after a power
    /// on: PRgeneration zero, SPC-4 6.15.2).</summary>
    /// <exception cref="IOException">The saved state cannot be read.</exception>
    public void Attach(IPersistentReservationStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        PersistentReservationState? saved = store.Load();
        _store = store;
        if (saved is not null)
        {
            _state = new PersistentReservationState(0, [.. saved.Registrations], saved.Holder, saved.Type, aptpl: true);
        }
    }

    /// <summary>Runs one PERSISTENT RESERVE OUT service action for <paramref name="nexus"/>.</summary>
    public async ValueTask<PersistentReserveOutResult> ApplyAsync(ItNexus nexus, PersistentReserveOutRequest request,
        Func<ushort, string?> targetPortName, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            PersistentReservationState current = _state;
            PersistentReserveOutResult result = PersistentReserveOutActions.Apply(current, nexus, request, targetPortName);
            if (result.Next is not { } next)
            {
                return result;
            }

            if (_store is { } store && (next.Aptpl || current.Aptpl))
            {
                try
                {
                    await store.SaveAsync(next.Aptpl ? next : null, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Not durable: the state stays as it was and the initiator is told (SPC-4 6.16.1).
                    return new PersistentReserveOutResult().Fail(SenseReason.InsufficientRegistrationResources);
                }
            }

            _state = next;
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }
}
