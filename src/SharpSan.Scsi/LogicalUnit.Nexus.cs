using System.Collections.Concurrent;

namespace SharpSan.Scsi;

// Per I_T nexus state: unit attentions (SAM-5 5.14), resets (SAM-5 6.3) and nexus loss.
public sealed partial class LogicalUnit
{
    /// <summary>BUS DEVICE RESET FUNCTION OCCURRED (SPC-4 annex D, 0x29/0x03).</summary>
    internal const ushort UaBusDeviceReset = 0x2903;

    /// <summary>MODE PARAMETERS CHANGED (0x2A/0x01).</summary>
    internal const ushort UaModeParametersChanged = 0x2A01;

    private readonly ConcurrentDictionary<ItNexus, NexusState> _nexuses = new(ItNexusComparer.Instance);

    /// <summary>The state of a nexus that sends a command to this LU; registers it on first contact.</summary>
    internal NexusState Track(ItNexus nexus)
    {
        if (_nexuses.TryGetValue(nexus, out NexusState? state))
        {
            return state;
        }

        return _nexuses.GetOrAdd(nexus, static _ => new NexusState());
    }

    /// <summary>
    /// LOGICAL UNIT RESET (SAM-5 7.6) or a target reset reaching this LU: releases the RESERVE/RELEASE
    /// reservation and establishes a unit attention, BUS DEVICE RESET FUNCTION OCCURRED (0x29/0x03),
    /// for every I_T nexus that has addressed this LU except <paramref name="requester"/> (as LIO does;
    /// pass null for a reset with no requesting nexus, e.g. a target cold reset, to reach every nexus).
    /// A reset also ends every nexus' prevention of medium removal (SBC-3, PREVENT ALLOW MEDIUM REMOVAL).
    /// The fabric aborts the LU's outstanding tasks itself.
    /// </summary>
    public void Reset(ItNexus? requester)
    {
        Reservation.Clear();
        foreach (KeyValuePair<ItNexus, NexusState> pair in _nexuses)
        {
            pair.Value.PreventRemoval = false;
            if (requester is null || !pair.Key.SameNexusAs(requester))
            {
                pair.Value.Enqueue(UaBusDeviceReset >> 8, UaBusDeviceReset & 0xFF);
            }
        }
    }

    /// <summary>
    /// The I_T nexus is gone (session closed or reinstated, SAM-5 6.3.4): releases its RESERVE/RELEASE
    /// reservation and forgets its pending unit attentions.
    /// </summary>
    public void NexusLost(ItNexus nexus)
    {
        ArgumentNullException.ThrowIfNull(nexus);
        Reservation.Release(nexus);
        _nexuses.TryRemove(nexus, out _);
    }

    /// <summary>Queues a unit attention for every known nexus except <paramref name="except"/>.</summary>
    internal void EstablishUnitAttention(ItNexus? except, ushort condition)
    {
        foreach (KeyValuePair<ItNexus, NexusState> pair in _nexuses)
        {
            if (except is null || !pair.Key.SameNexusAs(except))
            {
                pair.Value.Enqueue((byte)(condition >> 8), (byte)condition);
            }
        }
    }

    /// <summary>REPORTED LUNS DATA HAS CHANGED (0x3F/0x0E).</summary>
    internal const ushort UaReportedLunsDataChanged = 0x3F0E;

    /// <summary>
    /// The LUN inventory <paramref name="nexus"/> sees has changed (a LUN mapped or unmapped while it is
    /// logged in): its next command to this LU reports UNIT ATTENTION, REPORTED LUNS DATA HAS CHANGED
    /// (SPC-4 5.14, SAM-5 5.14), so the initiator rescans with REPORT LUNS.
    /// </summary>
    public void ReportedLunsDataChanged(ItNexus nexus)
    {
        ArgumentNullException.ThrowIfNull(nexus);
        Track(nexus).Enqueue(UaReportedLunsDataChanged >> 8, UaReportedLunsDataChanged & 0xFF);
    }

    /// <summary>True when <paramref name="nexus"/> has a unit attention pending on this LU.</summary>
    public bool HasUnitAttention(ItNexus nexus) =>
        _nexuses.TryGetValue(nexus, out NexusState? state) && state.HasUnitAttention;
}
