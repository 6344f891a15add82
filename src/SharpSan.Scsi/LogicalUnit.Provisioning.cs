using static SharpSan.Scsi.UnitAttentionCodes;
namespace SharpSan.Scsi;

// Logical block provisioning (SBC-3 4.7): whether the unit is thin (LBPME), the UNMAP and WRITE SAME
// limits it reports in VPD page B0h, and how a live change is announced.
public sealed partial class LogicalUnit
{
    private volatile LogicalBlockProvisioning _provisioning = null!;
    private volatile LogicalBlockProvisioningSettings _provisioningSettings = null!;

    /// <summary>The provisioning in effect: read once per command by UNMAP, WRITE SAME, GET LBA STATUS,
    /// READ CAPACITY(16) and the VPD pages.</summary>
    public LogicalBlockProvisioning Provisioning => _provisioning;

    private void InitializeProvisioning(LogicalUnitSettings settings)
    {
        _provisioning = LogicalBlockProvisioning.Resolve(settings.Provisioning, Backstore);
        _provisioningSettings = settings.Provisioning;
    }

    /// <summary>Applies new provisioning settings resolved by the caller (so a refusal happens before any
    /// other setting changes). VPD pages B0h/B2h and READ CAPACITY(16) change with it, so every nexus
    /// hears INQUIRY DATA HAS CHANGED (SPC-4 5.14, 3Fh/03h).</summary>
    private void SetProvisioning(LogicalBlockProvisioningSettings settings, LogicalBlockProvisioning resolved)
    {
        if (settings.Equals(_provisioningSettings))
        {
            return;
        }

        _provisioningSettings = settings;
        bool reported = !resolved.Equals(_provisioning);
        _provisioning = resolved;
        if (reported)
        {
            EstablishUnitAttention(null, UaInquiryDataChanged);
        }
    }
}
