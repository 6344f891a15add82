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
        var waits = new List<Task>();
        foreach (var s in SessionsSnapshot())
        {
            if (s.Connection is not { } c || s.Nexus is not { } nexus || !preempted(nexus)) continue;
            foreach (var (t, g) in s.SnapshotTasksForAbort(t => t.Scsi.Entry.Unit == unit))
                c.Tasks.Abort(t, g, waits, ownerThread: false);
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
