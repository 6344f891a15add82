namespace SharpSan.Scsi;

/// <summary>PROVISIONING STATUS of an LBA status descriptor (SBC-3 5.4.2, table 34): whether a range of
/// logical blocks has physical storage behind it.</summary>
public enum ProvisioningStatus : byte
{
    /// <summary>Mapped (or the backstore cannot tell): reads return what was written.</summary>
    Mapped = 0x0,
    /// <summary>Deallocated: no storage is held for the range (a hole in a sparse file, a freed chunk).</summary>
    Deallocated = 0x1,
    /// <summary>Anchored (SBC-3 4.7.4.2): storage reserved but not written. No backstore here anchors.</summary>
    Anchored = 0x2,
}

/// <summary>The provisioning status shared by <see cref="BlockCount"/> blocks from the LBA asked for
/// (one LBA status descriptor, SBC-3 5.4.2).</summary>
public readonly record struct LbaStatusExtent(ProvisioningStatus Status, ulong BlockCount);

/// <summary>
/// How much of a thin backstore's storage is in use, in logical blocks: what the logical block
/// provisioning log page (SBC-3 6.4.4, page 0Ch) reports as the used and available LBA mapping
/// resource counts.
/// </summary>
/// <param name="UsedBlocks">Blocks the backstore holds storage for (allocated file blocks, ramdisk chunks).</param>
/// <param name="AvailableBlocks">Blocks it could still allocate (free space of the file system, or what
/// is left of the logical unit's capacity).</param>
public readonly record struct ProvisioningUsage(ulong UsedBlocks, ulong AvailableBlocks);
