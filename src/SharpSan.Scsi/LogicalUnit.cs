namespace SharpSan.Scsi;

/// <summary>Identity strings a logical unit reports (INQUIRY, VPD 0x80/0x83).</summary>
public sealed record LogicalUnitIdentity(
    string VendorId,          // T10 vendor id, 8 chars, e.g. "SHARPSAN"
    string ProductId,         // 16 chars max; LIO uses the backstore name
    string Revision,          // 4 chars
    string Wwn)               // backstore wwn (a UUID); unit serial number and NAA come from it
{
    /// <summary>The whole T10 vendor ID designator of VPD page 83h (SPC-4 7.8.6.4), as tgt's "SCSI ID"
    /// (e.g. "IET     00010001"); empty: <see cref="VendorId"/> followed by <see cref="Wwn"/>.</summary>
    public string T10VendorDesignator { get; init; } = "";

    /// <summary>PRODUCT SERIAL NUMBER of VPD page 80h (SPC-4 7.8.15), as tgt's "SCSI SN" (e.g.
    /// "beaf11"); empty: <see cref="Wwn"/>.</summary>
    public string ProductSerialNumber { get; init; } = "";
}

/// <summary>
/// A SCSI logical unit (SAM-5 4.6) backed by one storage object: its device type and command set, mode
/// pages, medium state, unit attentions and RESERVE/RELEASE state. Commands reach it through
/// <see cref="ScsiDispatcher"/>.
/// </summary>
public sealed partial class LogicalUnit
{
    private volatile LogicalUnitIdentity _identity;

    public LogicalUnit(IBackstore backstore, LogicalUnitIdentity identity)
        : this(backstore, identity, LogicalUnitSettings.Default)
    {
    }

    /// <summary>A unit with <paramref name="settings"/> (tgt's per-LUN flags). The command set follows
    /// the device type the backstore declares: SBC-3 for a disk, MMC-6 for an <see cref="Devices.Mmc.MmcTray"/>,
    /// SCC-2 for a <see cref="Devices.Controller.ControllerBackstore"/>.</summary>
    /// <exception cref="NotSupportedException">A device type without a command set here.</exception>
    public LogicalUnit(IBackstore backstore, LogicalUnitIdentity identity, LogicalUnitSettings settings)
    {
        ArgumentNullException.ThrowIfNull(backstore);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(settings);
        Backstore = backstore;
        _identity = identity;
        DeviceType = backstore.Capabilities.DeviceType;
        Commands = CommandTable.For(DeviceType);
        InitializeMedium(settings);
        InitializeProvisioning(settings);
        Alua = new AluaGroups(this);
        _writeProtected = settings.WriteProtected;
        _descriptorSense = settings.DescriptorSense;
        _taskAbortedStatus = settings.TaskAbortedStatus;
    }

    public IBackstore Backstore { get; }

    /// <summary>The RESERVE/RELEASE reservation (SPC-2 5.5.1).</summary>
    internal ReserveReleaseReservation Reservation { get; } = new();

    /// <summary>The nexus holding the RESERVE reservation, or null.</summary>
    public ItNexus? ReservationHolder => Reservation.Holder;
    public LogicalUnitIdentity Identity => _identity;

    /// <summary>The peripheral device type reported in byte 0 of INQUIRY data (SPC-4 6.6.2).</summary>
    public PeripheralDeviceType DeviceType { get; }

    /// <summary>The command set of <see cref="DeviceType"/>.</summary>
    internal CommandSet Commands { get; }
}
