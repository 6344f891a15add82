using static SharpSan.Scsi.UnitAttentionCodes;
namespace SharpSan.Scsi;

// The administrator's settings of a live unit (tgtadm --op update --mode logicalunit --params ...):
// identity strings, removable, online, write protection, sense format, TAS. Each change takes effect at the
// next command, and the initiators hear of it through the unit attention SPC-4 defines for it.
public sealed partial class LogicalUnit
{
    private volatile bool _writeProtected;

    /// <summary>Writes are refused with DATA PROTECT (SBC-3 4.11): set by the administrator, by an
    /// initiator through SWP (SPC-4 7.5.8), or the backstore itself cannot be written.</summary>
    public bool WriteProtected => _writeProtected || _softwareWriteProtect || Backstore.ReadOnly;

    /// <summary>
    /// Applies new identity strings and settings to this live unit. New INQUIRY data raises INQUIRY
    /// DATA HAS CHANGED and a new sense format MODE PARAMETERS CHANGED for every nexus (SPC-4 5.14);
    /// online and removable changes behave as a medium change (see <see cref="ChangeMediumAsync"/>).
    /// The unit's data, reservations and pending unit attentions carry on.
    /// </summary>
    /// <exception cref="NotSupportedException">Provisioning the backstore cannot honour (see
    /// <see cref="LogicalBlockProvisioning.Resolve"/>); nothing is changed then.</exception>
    public void Reconfigure(LogicalUnitIdentity identity, LogicalUnitSettings settings)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(settings);
        LogicalBlockProvisioning provisioning = LogicalBlockProvisioning.Resolve(settings.Provisioning, Backstore);
        if (!identity.Equals(_identity))
        {
            _identity = identity;
            EstablishUnitAttention(null, UaInquiryDataChanged);
        }

        if (_removable != (settings.Removable || DeviceType == PeripheralDeviceType.CdDvd))
        {
            SetRemovable(settings.Removable);
            EstablishUnitAttention(null, UaInquiryDataChanged);
        }

        _writeProtected = settings.WriteProtected;
        SetOnline(settings.Online);
        if (_descriptorSense != settings.DescriptorSense || _taskAbortedStatus != settings.TaskAbortedStatus)
        {
            _descriptorSense = settings.DescriptorSense;
            _taskAbortedStatus = settings.TaskAbortedStatus;
            EstablishUnitAttention(null, UaModeParametersChanged);
        }

        SetProvisioning(settings.Provisioning, provisioning);
    }

    /// <summary>The settings this unit runs with now.</summary>
    public LogicalUnitSettings Settings => new()
    {
        Removable = _removable,
        Online = _online,
        WriteProtected = _writeProtected,
        DescriptorSense = _descriptorSense,
        TaskAbortedStatus = _taskAbortedStatus,
        Provisioning = _provisioningSettings,
    };
}
