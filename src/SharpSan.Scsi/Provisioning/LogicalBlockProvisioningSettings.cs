namespace SharpSan.Scsi;

/// <summary>
/// What an administrator chose for a logical unit's logical block provisioning (SBC-3 4.7), as LIO's
/// storage object attributes name it: emulate_tpu (UNMAP), emulate_tpws (WRITE SAME with UNMAP),
/// unmap_zeroes_data (LBPRZ) and the limits of VPD page B0h. A null limit means "the backstore's
/// default" (see <see cref="LogicalBlockProvisioning.Resolve"/>). The default is a fully provisioned
/// unit, as LIO's emulate_tpu=0 emulate_tpws=0.
/// </summary>
public sealed record LogicalBlockProvisioningSettings
{
    /// <summary>Fully provisioned, every limit the backstore's default.</summary>
    public static LogicalBlockProvisioningSettings FullyProvisioned { get; } = new();

    /// <summary>Thin, with UNMAP and WRITE SAME with UNMAP (tgt's thin_provisioning, LIO's
    /// emulate_tpu=1 emulate_tpws=1).</summary>
    public static LogicalBlockProvisioningSettings Thin { get; } = new() { Unmap = true, WriteSameUnmap = true };

    /// <summary>emulate_tpu: the UNMAP command is served (LBPU, SBC-3 6.6.4).</summary>
    public bool Unmap { get; init; }

    /// <summary>emulate_tpws: WRITE SAME (10) and (16) with the UNMAP bit deallocate (LBPWS, LBPWS10).</summary>
    public bool WriteSameUnmap { get; init; }

    /// <summary>unmap_zeroes_data: report LBPRZ (deallocated blocks read as zeros). Null: what the backstore
    /// declares (<see cref="BackstoreCapabilities.UnmappedReadsZero"/>).</summary>
    public bool? UnmapZeroesData { get; init; }

    /// <summary>max_unmap_lba_count: MAXIMUM UNMAP LBA COUNT.</summary>
    public uint? MaximumUnmapLbaCount { get; init; }

    /// <summary>max_unmap_block_desc_count: MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT.</summary>
    public uint? MaximumUnmapBlockDescriptorCount { get; init; }

    /// <summary>unmap_granularity: OPTIMAL UNMAP GRANULARITY, in logical blocks.</summary>
    public uint? OptimalUnmapGranularity { get; init; }

    /// <summary>unmap_granularity_alignment: UNMAP GRANULARITY ALIGNMENT (UGAVALID when not 0).</summary>
    public uint? UnmapGranularityAlignment { get; init; }

    /// <summary>max_write_same_len: MAXIMUM WRITE SAME LENGTH, in logical blocks.</summary>
    public uint? MaximumWriteSameLength { get; init; }

    /// <summary>LBPME (SBC-3 5.16.2): thin provisioned as soon as either way of deallocating is on.</summary>
    public bool IsThin => Unmap || WriteSameUnmap;
}
