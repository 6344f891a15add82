using SharpSan.Target.Diagnostics;
using SharpSan.Target.Runtime;

namespace SharpSan.Target;

// PREEMPT AND ABORT (SPC-4 5.13.11.5): the SCSI engine names the preempted I_T nexuses, the server
// aborts their tasks on the logical unit, as an ABORT TASK SET from each would (SAM-5 7.3).
public sealed partial class IscsiTargetServer : ITaskAborter
{
    /// <summary>Makes this server the <see cref="LogicalUnit.TaskAborter"/> of every unit of <paramref name="map"/>.</summary>
    private void AdoptUnits(LunMap map)
    {
        foreach (var entry in map.Entries) entry.Unit.TaskAborter = this;
    }

    async ValueTask ITaskAborter.AbortTasksAsync(LogicalUnit unit, Func<ItNexus, bool> preempted)
    {
        // The preempted nexuses are never the sender's, so TAS decides how their tasks end (SAM-5 5.6):
        // TASK ABORTED status, or silently with COMMANDS CLEARED BY ANOTHER INITIATOR.
        bool tas = unit.TaskAbortedStatus;
        var waits = new List<Task>();
        foreach (var s in SessionsSnapshot())
        {
            if (s.Connection is not { } c || s.Nexus is not { } nexus || !preempted(nexus)) continue;
            int aborted = 0;
            foreach (var (t, g) in s.SnapshotTasksForAbort(t => t.Scsi.Entry.Unit == unit))
                if (c.Tasks.Abort(t, g, waits, ownerThread: false, reportStatus: tas))
                    aborted++;
            if (!tas && aborted > 0) unit.CommandsClearedByAnotherInitiator(nexus);
            Log.Info($"PREEMPT AND ABORT: tasks of {s.InitiatorName} (TSIH {s.Tsih}) aborted");
        }
        if (waits.Count == 0) return;
        try
        {
            await Task.WhenAll(waits).WaitAsync(Options.DrainTimeout);
        }
        catch (TimeoutException)
        {
            Log.Warning($"PREEMPT AND ABORT: tasks still running after {Options.DrainTimeout}");
        }
    }
}
