namespace SharpSan.Scsi;

/// <summary>
/// The fabric's side of PREEMPT AND ABORT (SPC-4 5.13.11.5): the SCSI engine decides which I_T nexuses
/// were preempted, only the fabric knows their tasks. Set on a <see cref="LogicalUnit"/> by the fabric
/// that exports it (<see cref="LogicalUnit.TaskAborter"/>).
/// </summary>
public interface ITaskAborter
{
    /// <summary>Aborts every task <paramref name="unit"/> has from an I_T nexus <paramref name="preempted"/>
    /// accepts (as ABORT TASK SET from each, SAM-5 7.3) and completes once they have left the engine.</summary>
    ValueTask AbortTasksAsync(LogicalUnit unit, Func<ItNexus, bool> preempted);
}
