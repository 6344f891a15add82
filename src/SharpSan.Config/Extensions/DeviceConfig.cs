namespace SharpSan.Config;

/// <summary>
/// SharpSAN's settings of a storage object beyond LIO's format: the SCSI device it presents (disk or
/// CD-ROM), its identity strings and flags. tgt sets all of these per LUN (tgtadm --device-type,
/// -n vendor_id/product_id/product_rev/scsi_id/scsi_sn/removable/online/readonly/sense_format/
/// thin_provisioning, targets.conf); LIO has no place for them, so they are saved under the storage
/// object's "sharpsan_device" key, written only when something differs from the defaults, which keeps
/// a plain LIO file byte-identical through a load/save round trip.
/// </summary>
public sealed class DeviceConfig
{
    public const string Disk = "disk";
    /// <summary>A read-only MMC CD/DVD-ROM drive (peripheral device type 05h) with the file as its medium.</summary>
    public const string Cd = "cd";

    /// <summary><see cref="Disk"/> or <see cref="Cd"/>.</summary>
    public string DeviceType { get; set; } = Disk;

    /// <summary>INQUIRY vendor identification (8 ASCII characters at most); empty: the daemon's.</summary>
    public string VendorId { get; set; } = "";
    /// <summary>INQUIRY product identification (16 at most); empty: the storage object's name.</summary>
    public string ProductId { get; set; } = "";
    /// <summary>INQUIRY product revision level (4 at most); empty: the daemon's.</summary>
    public string ProductRevision { get; set; } = "";
    /// <summary>tgt's "SCSI ID": reported as a T10 vendor ID designator in VPD page 83h; empty: none.</summary>
    public string ScsiId { get; set; } = "";
    /// <summary>tgt's "SCSI SN": the unit serial number of VPD page 80h; empty: derived from the wwn.</summary>
    public string ScsiSerial { get; set; } = "";

    /// <summary>RMB bit of INQUIRY (always true for a CD).</summary>
    public bool Removable { get; set; }
    /// <summary>False: the unit answers NOT READY (tgt "online 0").</summary>
    public bool Online { get; set; } = true;
    /// <summary>Write protected, for every plugin (LIO's own "readonly" exists for block only).</summary>
    public bool Readonly { get; set; }
    /// <summary>Sense data format: false fixed (70h), true descriptor (72h) (tgt "sense_format").</summary>
    public bool DescriptorSense { get; set; }
    /// <summary>tgt "thin_provisioning": report and honour UNMAP (LBPME).</summary>
    public bool ThinProvisioning { get; set; }
    /// <summary>CD only: a medium is loaded (false after an eject).</summary>
    public bool MediumPresent { get; set; } = true;

    /// <summary>tgt's backing store type as it was asked for (rdwr, aio, null, sg), for tgtadm's display.</summary>
    public string TgtBsType { get; set; } = "";
    /// <summary>tgt's backing store path when the storage object has none of its own (--bstype null keeps
    /// the path it was given, as tgtd shows it), for tgtadm's display.</summary>
    public string TgtBsPath { get; set; } = "";
    /// <summary>tgt's backing store open flags (sync, direct), for tgtadm's display.</summary>
    public string TgtBsOFlags { get; set; } = "";

    public bool IsCd => DeviceType == Cd;

    /// <summary>True when everything has its default value (nothing to save).</summary>
    public bool IsDefault =>
        DeviceType == Disk && VendorId.Length == 0 && ProductId.Length == 0 && ProductRevision.Length == 0
        && ScsiId.Length == 0 && ScsiSerial.Length == 0 && !Removable && Online && !Readonly && !DescriptorSense
        && !ThinProvisioning && MediumPresent && TgtBsType.Length == 0 && TgtBsOFlags.Length == 0 && TgtBsPath.Length == 0;

    public DeviceConfig Clone() => (DeviceConfig)MemberwiseClone();

    /// <summary>Value equality (used to decide whether a live unit can be kept across a change).</summary>
    public bool SameAs(DeviceConfig o) =>
        DeviceType == o.DeviceType && VendorId == o.VendorId && ProductId == o.ProductId && ProductRevision == o.ProductRevision
        && ScsiId == o.ScsiId && ScsiSerial == o.ScsiSerial && Removable == o.Removable && Online == o.Online
        && Readonly == o.Readonly && DescriptorSense == o.DescriptorSense && ThinProvisioning == o.ThinProvisioning
        && MediumPresent == o.MediumPresent && TgtBsType == o.TgtBsType && TgtBsOFlags == o.TgtBsOFlags && TgtBsPath == o.TgtBsPath;
}
