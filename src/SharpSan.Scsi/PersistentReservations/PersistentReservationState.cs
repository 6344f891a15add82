namespace SharpSan.Scsi;

/// <summary>
/// A logical unit's persistent reservation state at one instant (SPC-4 5.13): its registrations, the
/// reservation (type and holder) if any, the PRgeneration counter and the last APTPL received. Immutable:
/// PERSISTENT RESERVE OUT builds a new one and publishes it, so the per-command conflict check reads
/// one reference and never locks.
/// </summary>
public sealed class PersistentReservationState
{
    public static readonly PersistentReservationState Empty = new(0, [], null, PersistentReservationType.None, false);

    private readonly Registration[] _registrations;

    public PersistentReservationState(uint generation, Registration[] registrations, Registration? holder, PersistentReservationType type, bool aptpl)
    {
        Generation = generation;
        _registrations = registrations;
        // An all registrants reservation has no single holder; any other type needs one.
        Type = holder is null && !type.IsAllRegistrants() ? PersistentReservationType.None : type;
        Holder = Type == PersistentReservationType.None || Type.IsAllRegistrants() ? null : holder;
        Aptpl = aptpl;
    }

    /// <summary>PRGENERATION (SPC-4 6.15.2): bumped by each successful REGISTER, REGISTER AND IGNORE
    /// EXISTING KEY, CLEAR, PREEMPT, PREEMPT AND ABORT and REGISTER AND MOVE; zero at power on.</summary>
    public uint Generation { get; }

    /// <summary>In registration order (READ KEYS and READ FULL STATUS list them so).</summary>
    public IReadOnlyList<Registration> Registrations => _registrations;

    /// <summary>The reservation holder's registration; null with no reservation or an all registrants
    /// reservation (whose holders are every registration, SPC-4 5.13.10).</summary>
    public Registration? Holder { get; }

    /// <summary>The reservation's type; <see cref="PersistentReservationType.None"/> when not reserved.</summary>
    public PersistentReservationType Type { get; }

    /// <summary>The APTPL bit last received with a registration (SPC-4 5.13.5): the state survives a power
    /// loss (a daemon restart) when set.</summary>
    public bool Aptpl { get; }

    public bool IsReserved => Type != PersistentReservationType.None;

    /// <summary>The registration covering <paramref name="nexus"/>, or null.</summary>
    public Registration? Find(ItNexus nexus)
    {
        Registration[] registrations = _registrations;
        for (int i = 0; i < registrations.Length; i++)
        {
            if (registrations[i].Matches(nexus))
            {
                return registrations[i];
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="registration"/> holds the reservation (any registration does
    /// under an all registrants type).</summary>
    public bool IsHolder(Registration? registration) =>
        registration is not null && (Type.IsAllRegistrants() || ReferenceEquals(registration, Holder));

    /// <summary>A copy with other registrations, holder and type (<paramref name="generation"/> given).</summary>
    public PersistentReservationState With(uint generation, Registration[] registrations, Registration? holder, PersistentReservationType type, bool aptpl) =>
        new(generation, registrations, holder, type, aptpl);
}
