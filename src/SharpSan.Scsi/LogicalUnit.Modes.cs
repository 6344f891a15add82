namespace SharpSan.Scsi;

// Mode parameters (SPC-4 7.5) that MODE SELECT can change. In the control mode page D_SENSE and TAS
// are changeable; every other field is fixed and reported as not changeable (QERR stays 00b).
public sealed partial class LogicalUnit
{
    private readonly object _modeLock = new();
    private volatile bool _descriptorSense;
    private volatile bool _taskAbortedStatus;

    /// <summary>D_SENSE (SPC-4 7.5.8): true when CHECK CONDITION sense uses descriptor format.</summary>
    public bool DescriptorSense => _descriptorSense;

    /// <summary>TAS (SPC-4 7.5.8, SAM-5 5.6): true when a command aborted by the action of another
    /// I_T nexus (CLEAR TASK SET, LOGICAL UNIT RESET, a target reset, PREEMPT AND ABORT) completes
    /// with TASK ABORTED status; false when it ends without a response and its nexus gets a unit
    /// attention instead. LIO's emulate_tas, on by default.</summary>
    public bool TaskAbortedStatus => _taskAbortedStatus;

    /// <summary>Applies the changeable control mode page fields from MODE SELECT; a change raises MODE
    /// PARAMETERS CHANGED for the other nexuses (SPC-4 7.5.1, 0x2A/0x01).</summary>
    internal void SetControlModePage(bool descriptorSense, bool taskAbortedStatus, ItNexus changedBy)
    {
        lock (_modeLock)
        {
            if (_descriptorSense == descriptorSense && _taskAbortedStatus == taskAbortedStatus)
            {
                return;
            }

            _descriptorSense = descriptorSense;
            _taskAbortedStatus = taskAbortedStatus;
        }

        EstablishUnitAttention(changedBy, UaModeParametersChanged);
    }
}
