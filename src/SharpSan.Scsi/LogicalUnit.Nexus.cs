using static SharpSan.Scsi.UnitAttentionCodes;
using System.Collections.Concurrent;

namespace SharpSan.Scsi;

// Per I_T nexus state: unit attentions (SAM-5 5.14), resets (SAM-5 6.3) and nexus loss.
public sealed partial class LogicalUnit
{
    /// <summary>Lost nexuses remembered for I_T NEXUS LOSS OCCURRED; beyond it they are forgotten, so
    /// initiators that never come back (or come back under new ISIDs) cannot grow the table.</summary>
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

    /// <summary>LOGICAL UNIT RESET (SAM-5 7.6) or a target reset: releases the RESERVE/RELEASE reservation,
    /// ends every prevention of medium removal and queues BUS DEVICE RESET FUNCTION OCCURRED (29/03) for
    /// every nexus but <paramref name="requester"/> (null: all). The fabric aborts the tasks itself.</summary>
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

    /// <summary>The I_T nexus is gone (SAM-5 6.3.4): its reservation is released and its state forgotten.
    /// With <paramref name="reportLoss"/> (lost, not logged out) its next command when it returns gets
    /// I_T NEXUS LOSS OCCURRED (29/07), as LIO's core_allocate_nexus_loss_ua.</summary>
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

    /// <summary>Commands of <paramref name="nexus"/> ended without a response (another nexus aborted them
    /// with TAS=0): COMMANDS CLEARED BY ANOTHER INITIATOR (2F/00) for its next command (SAM-5 5.6).</summary>
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

    /// <summary>The LUN inventory <paramref name="nexus"/> sees changed: its next command reports
    /// REPORTED LUNS DATA HAS CHANGED (3F/0E, SPC-4 5.14), so the initiator rescans.</summary>
    public void ReportedLunsDataChanged(ItNexus nexus)
    {
        ArgumentNullException.ThrowIfNull(nexus);
        Track(nexus).Enqueue(UaReportedLunsDataChanged >> 8, UaReportedLunsDataChanged & 0xFF);
    }

    /// <summary>True when <paramref name="nexus"/> has a unit attention pending on this LU.</summary>
    public bool HasUnitAttention(ItNexus nexus) =>
        _nexuses.TryGetValue(nexus, out NexusState? state) && state.HasUnitAttention;
}
