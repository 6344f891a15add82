namespace SharpSan.Scsi;

/// <summary>
/// The RESERVE(6)/(10) and RELEASE(6)/(10) reservation of one logical unit (SPC-2 5.5.1, 7.21, 7.11):
/// one holding I_T nexus or none. The per-command check is one volatile read.
/// </summary>
internal sealed class ReserveReleaseReservation
{
    private readonly object _lock = new();
    private volatile ItNexus? _holder;

    /// <summary>The nexus holding the reservation, or null.</summary>
    public ItNexus? Holder => _holder;

    /// <summary>Lock-free check run for every command.</summary>
    public bool IsReservedByOther(ItNexus nexus)
    {
        ItNexus? holder = _holder;
        return holder is not null && !holder.SameNexusAs(nexus);
    }

    /// <summary>SPC-2 7.21: succeeds when the LU is free or already reserved by the same nexus.</summary>
    public bool TryReserve(ItNexus nexus)
    {
        lock (_lock)
        {
            ItNexus? holder = _holder;
            if (holder is not null && !holder.SameNexusAs(nexus))
            {
                return false;
            }

            _holder = nexus;
            return true;
        }
    }

    /// <summary>SPC-2 7.11: releases when held by <paramref name="nexus"/>; otherwise nothing happens.</summary>
    public void Release(ItNexus nexus)
    {
        lock (_lock)
        {
            if (_holder is { } holder && holder.SameNexusAs(nexus))
            {
                _holder = null;
            }
        }
    }

    /// <summary>A logical unit reset releases the reservation (SPC-2 5.5.1).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _holder = null;
        }
    }
}
