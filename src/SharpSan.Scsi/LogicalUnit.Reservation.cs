namespace SharpSan.Scsi;

// RESERVE(6)/(10) and RELEASE(6)/(10) reservations (SPC-2 5.5.1, 7.21, 7.11): one holder per LU.
public sealed partial class LogicalUnit
{
    private readonly object _reservationLock = new();
    private volatile ItNexus? _reservationHolder;

    /// <summary>The nexus holding the RESERVE reservation, or null.</summary>
    public ItNexus? ReservationHolder => _reservationHolder;

    /// <summary>Lock-free check run for every command.</summary>
    internal bool IsReservedByOther(ItNexus nexus)
    {
        ItNexus? holder = _reservationHolder;
        return holder is not null && !holder.SameNexusAs(nexus);
    }

    /// <summary>SPC-2 7.21: succeeds when the LU is free or already reserved by the same nexus.</summary>
    internal bool TryReserve(ItNexus nexus)
    {
        lock (_reservationLock)
        {
            ItNexus? holder = _reservationHolder;
            if (holder is not null && !holder.SameNexusAs(nexus))
            {
                return false;
            }

            _reservationHolder = nexus;
            return true;
        }
    }

    /// <summary>SPC-2 7.11: releases when held by <paramref name="nexus"/>; otherwise nothing happens.</summary>
    internal void ReleaseReservation(ItNexus nexus)
    {
        lock (_reservationLock)
        {
            ItNexus? holder = _reservationHolder;
            if (holder is not null && holder.SameNexusAs(nexus))
            {
                _reservationHolder = null;
            }
        }
    }

    private void ClearReservation()
    {
        lock (_reservationLock)
        {
            _reservationHolder = null;
        }
    }
}
