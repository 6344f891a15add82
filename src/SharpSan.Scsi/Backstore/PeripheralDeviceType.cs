namespace SharpSan.Scsi;

/// <summary>PERIPHERAL DEVICE TYPE (SPC-4 6.6.2, table 146): what kind of device a logical unit is,
/// reported in byte 0 of INQUIRY data and selecting the command set (SBC-3, MMC-6, SSC...).</summary>
public enum PeripheralDeviceType : byte
{
    /// <summary>Direct access block device (SBC-3): a disk.</summary>
    DirectAccessBlock = 0x00,
    /// <summary>Sequential-access device (SSC): a tape.</summary>
    SequentialAccess = 0x01,
    /// <summary>CD/DVD device (MMC-6).</summary>
    CdDvd = 0x05,
    /// <summary>Optical memory device (SBC).</summary>
    OpticalMemory = 0x07,
    /// <summary>Media changer (SMC).</summary>
    MediumChanger = 0x08,
    /// <summary>Storage array controller (SCC).</summary>
    StorageArrayController = 0x0C,
    /// <summary>Enclosure services device (SES).</summary>
    EnclosureServices = 0x0D,
}
