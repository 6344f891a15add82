using static SharpSan.Scsi.UnitAttentionCodes;
namespace SharpSan.Scsi;

// Mode parameters (SPC-4 7.5) that MODE SELECT can change, all in the control mode page: D_SENSE, SWP
// and TAS; every other field is fixed and reported as not changeable (QERR stays 00b). None is saved.
public sealed partial class LogicalUnit
{
    private readonly object _modeLock = new();
    private volatile bool _descriptorSense;
    private volatile bool _softwareWriteProtect;
    private volatile bool _taskAbortedStatus;

    /// <summary>D_SENSE (SPC-4 7.5.8): true when CHECK CONDITION sense uses descriptor format.</summary>
    public bool DescriptorSense => _descriptorSense;

    /// <summary>SWP (SPC-4 7.5.8): the unit inhibits writing to the medium, for every nexus (TST=000b),
    /// until MODE SELECT clears it or the daemon restarts (current value only, like D_SENSE).</summary>
    public bool SoftwareWriteProtect => _softwareWriteProtect;

    /// <summary>TAS (SPC-4 7.5.8, SAM-5 5.6): a command aborted by another I_T nexus (CLEAR TASK SET,
    /// LOGICAL UNIT RESET, a target reset, PREEMPT AND ABORT) completes with TASK ABORTED; when false it
    /// ends without a response and its nexus gets a unit attention. LIO's emulate_tas, on by default.</summary>
    public bool TaskAbortedStatus => _taskAbortedStatus;

    /// <summary>Applies the control mode page's changeable fields from MODE SELECT; a change raises MODE
    /// PARAMETERS CHANGED for the other nexuses (SPC-4 7.5.1, 0x2A/0x01).</summary>
    internal void SetControlMode(bool descriptorSense, bool softwareWriteProtect, bool taskAbortedStatus, ItNexus changedBy)
    {
        lock (_modeLock)
        {
            if (_descriptorSense == descriptorSense && _softwareWriteProtect == softwareWriteProtect && _taskAbortedStatus == taskAbortedStatus)
            {
                return;
            }

            _descriptorSense = descriptorSense;
            _softwareWriteProtect = softwareWriteProtect;
            _taskAbortedStatus = taskAbortedStatus;
        }

        EstablishUnitAttention(changedBy, UaModeParametersChanged);
    }
}
