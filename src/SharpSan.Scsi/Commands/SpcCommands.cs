namespace SharpSan.Scsi;

/// <summary>TEST UNIT READY, REQUEST SENSE, RESERVE/RELEASE (6/10).</summary>
internal static class SpcCommands
{
    public static bool ParseNoData(ScsiTask task) => true;

    public static ValueTask Good(ScsiTask task, CancellationToken cancellationToken) => default;

    /// <summary>REQUEST SENSE (SPC-4 6.29): DESC (byte 1 bit 0) selects descriptor format.</summary>
    public static bool ParseRequestSense(ScsiTask task) => DataIn.Allocate(task, task.CdbBuffer[4]);

    /// <summary>Returns the oldest pending unit attention (consuming it), else the NOT READY condition of
    /// a unit that is not ready (SPC-4 6.29: sense data describing the current state), else NO SENSE,
    /// with GOOD status. To an unmapped LUN: ILLEGAL REQUEST / LOGICAL UNIT NOT SUPPORTED as parameter
    /// data (SPC-4 6.29).</summary>
    public static ValueTask ExecuteRequestSense(ScsiTask task, CancellationToken cancellationToken)
    {
        bool descriptor = (task.CdbBuffer[1] & 0x01) != 0;
        Span<byte> sense = stackalloc byte[64];
        SenseKey key = SenseKey.NoSense;
        byte asc = 0;
        byte ascq = 0;
        int progress = SenseData.NoField;
        if (task.Entry.Unit is null)
        {
            SenseTable.Lookup(SenseReason.LogicalUnitNotSupported, out key, out asc, out ascq);
        }
        else if (task.Entry.Unit.Track(task.Nexus).TryDequeue(out asc, out ascq))
        {
            key = SenseKey.UnitAttention;
        }
        else if (task.Entry.Unit.Sanitize.TryDescribe(out SenseReason sanitize, out progress))
        {
            // SBC-3 4.11.2: a sanitize in progress, with its progress indication, or failure mode.
            SenseTable.Lookup(sanitize, out key, out asc, out ascq);
        }
        else if (task.Entry.Unit.NotReadyReason is var notReady and not SenseReason.None)
        {
            SenseTable.Lookup(notReady, out key, out asc, out ascq);
        }

        int length = SenseData.Build(sense, descriptor, key, asc, ascq, progress, -1, false, null);
        DataIn.Respond(task, sense[..length]);
        return default;
    }

    /// <summary>RESERVE(6) (SPC-2 7.21.2): the obsolete extent bits must be 0.</summary>
    public static bool ParseReserve6(ScsiTask task)
    {
        if ((task.CdbBuffer[1] & 0x1F) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 0);
            return false;
        }

        return true;
    }

    /// <summary>RESERVE(10)/RELEASE(10) (SPC-2 7.21.3, 7.11.3): third-party (bit 4) and LONGID (bit 1)
    /// are not supported.</summary>
    public static bool ParseReserve10(ScsiTask task)
    {
        byte flags = task.CdbBuffer[1];
        if ((flags & 0x10) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 4);
            return false;
        }

        if ((flags & 0x02) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 1);
            return false;
        }

        return true;
    }

    public static ValueTask ExecuteReserve(ScsiTask task, CancellationToken cancellationToken)
    {
        if (!ProceedBesidePersistentReservations(task))
        {
            return default;
        }

        if (!task.Entry.Unit.Reservation.TryReserve(task.Nexus))
        {
            task.Status = ScsiStatus.ReservationConflict;
        }

        return default;
    }

    /// <summary>RELEASE from a nexus that holds no reservation is a no-op with GOOD (SPC-2 7.11.1).</summary>
    public static ValueTask ExecuteRelease(ScsiTask task, CancellationToken cancellationToken)
    {
        if (ProceedBesidePersistentReservations(task))
        {
            task.Entry.Unit.Reservation.Release(task.Nexus);
        }

        return default;
    }

    /// <summary>SPC-4 5.13.3: while persistent reservation registrations exist, RESERVE and RELEASE
    /// either complete with GOOD and no effect or conflict; false when they must not go on.</summary>
    private static bool ProceedBesidePersistentReservations(ScsiTask task)
    {
        switch (ReservationConflict.ForReserveRelease(task.Entry.Unit.PersistentReservations.State, task.Nexus))
        {
            case Spc2ReservationOutcome.Conflict:
                task.Status = ScsiStatus.ReservationConflict;
                return false;
            case Spc2ReservationOutcome.GoodWithoutEffect:
                return false;
            default:
                return true;
        }
    }
}
