namespace SharpSan.Scsi;

/// <summary>
/// What a backstore can do, declared once by the backstore itself: the engine reads these to decide
/// what to report (INQUIRY, READ CAPACITY(16), VPD pages) and which commands a logical unit can
/// serve, instead of probing the backstore's type or trying an operation to see whether it fails.
/// A command family that needs a capability (UNMAP, COMPARE AND WRITE, EXTENDED COPY...) answers
/// ILLEGAL REQUEST on a backstore that does not declare it.
/// </summary>
public sealed record BackstoreCapabilities
{
    /// <summary>A plain disk: block device type, no thin provisioning or offloads.</summary>
    public static BackstoreCapabilities Disk { get; } = new();

    /// <summary>The device type the logical unit reports (SPC-4 6.6.2) and whose command set it serves.</summary>
    public PeripheralDeviceType DeviceType { get; init; } = PeripheralDeviceType.DirectAccessBlock;

    /// <summary>Storage is allocated on demand (a sparse file, ramdisk chunks) and the backstore can tell
    /// which ranges hold storage (<see cref="IBackstore.GetLbaStatus"/>). Whether a logical unit reports
    /// itself thin (LBPME, SBC-3 4.7) is the administrator's choice (<see cref="LogicalBlockProvisioningSettings"/>),
    /// which needs <see cref="Unmap"/>.</summary>
    public bool ThinProvisioned { get; init; }

    /// <summary>Ranges can be deallocated (<see cref="IBackstore.DeallocateAsync"/>: UNMAP, WRITE SAME with
    /// UNMAP; SBC-3 5.28, 5.41).</summary>
    public bool Unmap { get; init; }

    /// <summary>Deallocated blocks read back as zeros (what LBPRZ promises, SBC-3 4.7.4.5).</summary>
    public bool UnmappedReadsZero { get; init; }

    /// <summary>Ranges can be zeroed without transferring zeros (<see cref="IBackstore.WriteZeroesAsync"/>:
    /// WRITE SAME of a zero block).</summary>
    public bool WriteZeroes { get; init; }

    /// <summary>The backstore performs COMPARE AND WRITE (SBC-3 5.2) atomically itself; without it the
    /// engine serialises the compare and the write per logical unit.</summary>
    public bool AtomicCompareAndWrite { get; init; }

    /// <summary>Copies between ranges without passing the data through the engine (EXTENDED COPY,
    /// SPC-4 6.4; e.g. copy_file_range).</summary>
    public bool CopyOffload { get; init; }

    /// <summary>Commands go to a real SCSI device (pscsi) rather than being emulated by the engine.</summary>
    public bool PassThrough { get; init; }
}
