namespace SharpSan.Scsi;

/// <summary>What a PERSISTENT RESERVE OUT service action decided: its status (GOOD, RESERVATION CONFLICT
/// or CHECK CONDITION with a sense reason and field pointer), the state to publish (null: unchanged), the
/// unit attentions to establish and, for PREEMPT AND ABORT, whose tasks to abort.</summary>
internal sealed class PersistentReserveOutResult
{
    /// <summary>RESERVATIONS PREEMPTED (SPC-4 annex D, 2Ah/03h).</summary>
    public const ushort ReservationsPreempted = 0x2A03;

    /// <summary>RESERVATIONS RELEASED (2Ah/04h).</summary>
    public const ushort ReservationsReleased = 0x2A04;

    /// <summary>REGISTRATIONS PREEMPTED (2Ah/05h).</summary>
    public const ushort RegistrationsPreempted = 0x2A05;

    public ScsiStatus Status { get; private set; } = ScsiStatus.Good;
    public SenseReason Reason { get; private set; }
    public int FieldByte { get; private set; } = SenseData.NoField;
    public int FieldBit { get; private set; } = -1;
    public bool InCdb { get; private set; }

    /// <summary>The new state, or null when the command changed nothing.</summary>
    public PersistentReservationState? Next { get; set; }

    /// <summary>Unit attentions for the I_T nexuses each registration covers (never the sender's).</summary>
    public List<(Registration Registration, ushort Condition)> UnitAttentions { get; } = [];

    /// <summary>The registrations PREEMPT AND ABORT removed: their nexuses' tasks are aborted.</summary>
    public List<Registration> Preempted { get; } = [];

    public PersistentReserveOutResult Conflict()
    {
        Status = ScsiStatus.ReservationConflict;
        return this;
    }

    public PersistentReserveOutResult Fail(SenseReason reason, int fieldByte = SenseData.NoField, int fieldBit = -1, bool inCdb = false)
    {
        Status = ScsiStatus.CheckCondition;
        Reason = reason;
        FieldByte = fieldByte;
        FieldBit = fieldBit;
        InCdb = inCdb;
        return this;
    }

    public void Notify(IEnumerable<Registration> registrations, ushort condition)
    {
        foreach (Registration registration in registrations)
        {
            UnitAttentions.Add((registration, condition));
        }
    }
}
