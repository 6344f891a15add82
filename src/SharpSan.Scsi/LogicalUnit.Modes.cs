namespace SharpSan.Scsi;

// Mode parameters (SPC-4 7.5) that MODE SELECT can change: D_SENSE and SWP in the control mode page;
// every other field is fixed and reported as not changeable. Neither is saved (no saved pages).
public sealed partial class LogicalUnit
{
    private readonly object _modeLock = new();
    private volatile bool _descriptorSense;
    private volatile bool _softwareWriteProtect;

    /// <summary>D_SENSE (SPC-4 7.5.8): true when CHECK CONDITION sense uses descriptor format.</summary>
    public bool DescriptorSense => _descriptorSense;

    /// <summary>SWP (SPC-4 7.5.8): the unit inhibits writing to the medium, for every nexus (TST=000b),
    /// until MODE SELECT clears it or the daemon restarts (current value only, like D_SENSE).</summary>
    public bool SoftwareWriteProtect => _softwareWriteProtect;

    /// <summary>Applies the control mode page's D_SENSE and SWP from MODE SELECT; a change raises MODE
    /// PARAMETERS CHANGED for the other nexuses (SPC-4 7.5.1, 0x2A/0x01).</summary>
    internal void SetControlMode(bool descriptorSense, bool softwareWriteProtect, ItNexus changedBy)
    {
        lock (_modeLock)
        {
            if (_descriptorSense == descriptorSense && _softwareWriteProtect == softwareWriteProtect)
            {
                return;
            }

            _descriptorSense = descriptorSense;
            _softwareWriteProtect = softwareWriteProtect;
        }

        EstablishUnitAttention(changedBy, UaModeParametersChanged);
    }
}
