namespace SharpSan.Scsi;

// Mode parameters (SPC-4 7.5) that MODE SELECT can change. Only D_SENSE in the control mode page is
// changeable; every other field is fixed and reported as not changeable.
public sealed partial class LogicalUnit
{
    private readonly object _modeLock = new();
    private volatile bool _descriptorSense;

    /// <summary>D_SENSE (SPC-4 7.5.8): true when CHECK CONDITION sense uses descriptor format.</summary>
    public bool DescriptorSense => _descriptorSense;

    /// <summary>Applies D_SENSE from MODE SELECT; a change raises MODE PARAMETERS CHANGED for the other
    /// nexuses (SPC-4 7.5.1, 0x2A/0x01).</summary>
    internal void SetDescriptorSense(bool value, ItNexus changedBy)
    {
        lock (_modeLock)
        {
            if (_descriptorSense == value)
            {
                return;
            }

            _descriptorSense = value;
        }

        EstablishUnitAttention(changedBy, UaModeParametersChanged);
    }
}
