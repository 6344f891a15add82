namespace SharpSan.Scsi;

/// <summary>
/// A logical unit's logical block provisioning in effect (SBC-3 4.7): the administrator's
/// <see cref="LogicalBlockProvisioningSettings"/> with every default filled in from the backstore, and
/// checked against what the backstore can do. READ CAPACITY(16), VPD pages B0h and B2h, UNMAP, WRITE
/// SAME and GET LBA STATUS all read this one value.
/// </summary>
public sealed record LogicalBlockProvisioning
{
    /// <summary>MAXIMUM UNMAP LBA COUNT by default: 1 Mi blocks per command (libiscsi calls more than
    /// that "insanely big"; LIO's fileio stops at 8 Ki), so one UNMAP can free 512 MiB at 512 bytes.</summary>
    public const uint DefaultMaximumUnmapLbaCount = 1024 * 1024;

    /// <summary>MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT by default: the 4 KiB of descriptors a 4104-byte
    /// parameter list carries.</summary>
    public const uint DefaultMaximumUnmapBlockDescriptorCount = 256;

    /// <summary>MAXIMUM WRITE SAME LENGTH by default: 0xFFFF, as LIO's iblock (the largest WRITE SAME(10)
    /// can ask for).</summary>
    public const uint DefaultMaximumWriteSameLength = 0xFFFF;

    public bool Unmap { get; init; }
    public bool WriteSameUnmap { get; init; }

    /// <summary>LBPRZ: deallocated blocks read as zeros.</summary>
    public bool ReadsZero { get; init; }

    public uint MaximumUnmapLbaCount { get; init; }
    public uint MaximumUnmapBlockDescriptorCount { get; init; }
    public uint OptimalUnmapGranularity { get; init; }
    public uint UnmapGranularityAlignment { get; init; }
    public uint MaximumWriteSameLength { get; init; }

    /// <summary>LBPME: thin provisioned.</summary>
    public bool IsThin => Unmap || WriteSameUnmap;

    /// <summary>
    /// The provisioning of a unit over <paramref name="backstore"/> with <paramref name="settings"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">Thin provisioning on a backstore that cannot deallocate,
    /// or LBPRZ on one whose deallocated blocks do not read as zeros (LIO refuses emulate_tpu the same way).</exception>
    /// <exception cref="ArgumentException">A limit SBC-3 does not allow (a zero descriptor or LBA count
    /// with UNMAP on).</exception>
    public static LogicalBlockProvisioning Resolve(LogicalBlockProvisioningSettings settings, IBackstore backstore)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(backstore);
        BackstoreCapabilities capabilities = backstore.Capabilities;
        string what = $"{backstore.Plugin} backstore '{backstore.Name}'";
        if (settings.IsThin && !capabilities.Unmap)
        {
            throw new NotSupportedException($"{what} cannot deallocate blocks: thin provisioning (emulate_tpu, emulate_tpws) is not available on it.");
        }

        if (settings.UnmapZeroesData == true && !capabilities.UnmappedReadsZero)
        {
            throw new NotSupportedException($"{what} does not guarantee that deallocated blocks read as zeros: unmap_zeroes_data cannot be 1.");
        }

        var resolved = new LogicalBlockProvisioning
        {
            Unmap = settings.Unmap,
            WriteSameUnmap = settings.WriteSameUnmap,
            ReadsZero = settings.IsThin && (settings.UnmapZeroesData ?? capabilities.UnmappedReadsZero),
            MaximumUnmapLbaCount = settings.MaximumUnmapLbaCount ?? DefaultMaximumUnmapLbaCount,
            MaximumUnmapBlockDescriptorCount = settings.MaximumUnmapBlockDescriptorCount ?? DefaultMaximumUnmapBlockDescriptorCount,
            OptimalUnmapGranularity = settings.OptimalUnmapGranularity ?? Math.Max(1u, backstore.UnmapGranularity),
            UnmapGranularityAlignment = settings.UnmapGranularityAlignment ?? 0,
            MaximumWriteSameLength = settings.MaximumWriteSameLength ?? DefaultMaximumWriteSameLength,
        };

        if (resolved.Unmap && (resolved.MaximumUnmapLbaCount == 0 || resolved.MaximumUnmapBlockDescriptorCount == 0))
        {
            // SBC-3 6.6.4: with LBPU=1 both counts must allow at least one block.
            throw new ArgumentException($"{what}: max_unmap_lba_count and max_unmap_block_desc_count must be at least 1 with emulate_tpu=1.", nameof(settings));
        }

        return resolved;
    }
}
