namespace SharpSan.Scsi;

/// <summary>
/// Where a logical unit keeps its persistent reservation state across a power loss when an initiator
/// asked for it with APTPL=1 (SPC-4 5.13.5: "Persist Through Power Loss"); for the daemon, a file per
/// logical unit like LIO's /etc/target/pr/aptpl_&lt;wwn&gt;.
/// </summary>
public interface IPersistentReservationStore
{
    /// <summary>The state saved last (APTPL=1), or null when there is none.</summary>
    /// <exception cref="IOException">The saved state exists but cannot be read.</exception>
    PersistentReservationState? Load();

    /// <summary>Replaces the saved state with <paramref name="state"/>, or removes it (null: APTPL was
    /// turned off). Durable when the returned task completes: a PERSISTENT RESERVE OUT is only answered
    /// GOOD after this.</summary>
    /// <exception cref="IOException">The state could not be made durable.</exception>
    ValueTask SaveAsync(PersistentReservationState? state, CancellationToken cancellationToken);
}
