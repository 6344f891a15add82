namespace SharpSan.Scsi;

// Persistent reservations (SPC-4 5.13): the state lives in a PersistentReservationManager; the unit
// delivers the unit attentions PERSISTENT RESERVE OUT establishes and names its target ports.
public sealed partial class LogicalUnit
{
    internal PersistentReservationManager PersistentReservations { get; } = new();

    /// <summary>The registrations and reservation now (read-only; for management tools and tests).</summary>
    public PersistentReservationState PersistentReservationState => PersistentReservations.State;

    /// <summary>Set by the fabric that exports this unit: aborts the tasks of the I_T nexuses a PREEMPT
    /// AND ABORT preempts (SPC-4 5.13.11.5). Without one, PREEMPT AND ABORT only preempts.</summary>
    public ITaskAborter? TaskAborter { get; set; }

    /// <summary>Restores the APTPL state <paramref name="store"/> holds and saves there from now on.</summary>
    /// <exception cref="IOException">The saved state cannot be read.</exception>
    public void AttachPersistentReservationStore(IPersistentReservationStore store) => PersistentReservations.Attach(store);

    /// <summary>The name of the target port with relative target port identifier <paramref name="relativeTargetPortId"/>
    /// among those an I_T nexus or a registration has used, or null.</summary>
    internal string? TargetPortName(ushort relativeTargetPortId)
    {
        foreach (ItNexus nexus in _nexuses.Keys)
        {
            if (nexus.RelativeTargetPortId == relativeTargetPortId)
            {
                return nexus.TargetPortName;
            }
        }

        foreach (Registration registration in PersistentReservations.State.Registrations)
        {
            if (!registration.AllTargetPorts && registration.RelativeTargetPortId == relativeTargetPortId)
            {
                return registration.TargetPortName;
            }
        }

        return null;
    }

    /// <summary>Queues <paramref name="condition"/> for every known I_T nexus <paramref name="registration"/>
    /// covers, except <paramref name="except"/> (the sender of the PERSISTENT RESERVE OUT).</summary>
    internal void EstablishUnitAttention(Registration registration, ItNexus except, ushort condition)
    {
        foreach (KeyValuePair<ItNexus, NexusState> pair in _nexuses)
        {
            if (!pair.Key.SameNexusAs(except) && registration.Matches(pair.Key))
            {
                pair.Value.Enqueue((byte)(condition >> 8), (byte)condition);
            }
        }
    }
}
