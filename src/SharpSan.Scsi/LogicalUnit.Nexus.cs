using System.Collections.Concurrent;

namespace SharpSan.Scsi;

// Per I_T nexus state: unit attentions (SAM-5 5.14), resets (SAM-5 6.3) and nexus loss.
public sealed partial class LogicalUnit
{
    /// <summary>BUS DEVICE RESET FUNCTION OCCURRED (SPC-4 annex D, 0x29/0x03).</summary>
    internal const ushort UaBusDeviceReset = 0x2903;

    /// <summary>MODE PARAMETERS CHANGED (0x2A/0x01).</summary>
    internal const ushort UaModeParametersChanged = 0x2A01;

    /// <summary>I_T NEXUS LOSS OCCURRED (SPC-4 annex D, 0x29/0x07).</summary>
    internal const ushort UaNexusLossOccurred = 0x2907;

    /// <summary>COMMANDS CLEARED BY ANOTHER INITIATOR (SPC-4 annex D, 0x2F/0x00).</summary>
    internal const ushort UaCommandsClearedByAnotherInitiator = 0x2F00;

    /// <summary>How many lost nexuses a unit remembers to report I_T NEXUS LOSS OCCURRED to when they
    /// return; beyond it a lost nexus is simply forgotten, so initiators that never come back (or
    /// come back under ever new ISIDs) cannot grow the table without bound.</summary>
    private const int MaxNexuses = 4096;

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
    /// The I_T nexus is gone (SAM-5 6.3.4): releases its RESERVE/RELEASE reservation and forgets what
    /// the unit kept for it (unit attentions, prevention of medium removal, copy results). With
    /// <paramref name="reportLoss"/> (the nexus was lost rather than closed by a logout: connection
    /// dropped, session reinstated or closed by the target) the unit remembers the nexus with one unit
    /// attention, I_T NEXUS LOSS OCCURRED (0x29/0x07), for its next command when it comes back, as
    /// LIO's core_allocate_nexus_loss_ua does.
    /// </summary>
    public void NexusLost(ItNexus nexus, bool reportLoss = false)
    {
        ArgumentNullException.ThrowIfNull(nexus);
        Reservation.Release(nexus);
        if (!reportLoss || (_nexuses.Count >= MaxNexuses && !_nexuses.ContainsKey(nexus)))
        {
            _nexuses.TryRemove(nexus, out _);
            return;
        }

        var fresh = new NexusState();
        fresh.Enqueue(UaNexusLossOccurred >> 8, UaNexusLossOccurred & 0xFF);
        _nexuses[nexus] = fresh;
    }

    /// <summary>
    /// Commands of <paramref name="nexus"/> were aborted by another I_T nexus (CLEAR TASK SET, PREEMPT
    /// AND ABORT) with TAS=0, so they ended without a response: its next command reports COMMANDS
    /// CLEARED BY ANOTHER INITIATOR (0x2F/0x00), SAM-5 5.6 / SPC-4 7.5.8.
    /// </summary>
    public void CommandsClearedByAnotherInitiator(ItNexus nexus)
    {
        ArgumentNullException.ThrowIfNull(nexus);
        Track(nexus).Enqueue(UaCommandsClearedByAnotherInitiator >> 8, UaCommandsClearedByAnotherInitiator & 0xFF);
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
