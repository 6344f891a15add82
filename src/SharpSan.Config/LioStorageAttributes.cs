namespace SharpSan.Config;

/// <summary>
/// The storage object attributes (LIO configfs .../core/HBA/NAME/attrib/NAME, target_core_configfs.c)
/// that SharpSAN acts on: those of logical block provisioning (SBC-3 4.7) and the control mode page's TAS. Each once, with LIO's name,
/// default and legal range; the validator checks them, the daemon reads them, targetcli sets them.
/// Every other attribute of a storage object is kept as it is and saved again.
/// </summary>
public static class LioStorageAttributes
{
    /// <summary>UNMAP served (LBPU); LIO's default 0 is a fully provisioned unit.</summary>
    public static readonly LioAttribute EmulateTpu = new("emulate_tpu", 0, 0, 1, "If set to 1, enable the SCSI UNMAP command (thin provisioning).");

    /// <summary>WRITE SAME with UNMAP deallocates (LBPWS, LBPWS10).</summary>
    public static readonly LioAttribute EmulateTpws = new("emulate_tpws", 0, 0, 1, "If set to 1, enable WRITE SAME with UNMAP (thin provisioning).");

    /// <summary>LBPRZ; unset: what the backstore guarantees (1 for fileio and ramdisk).</summary>
    public static readonly LioAttribute UnmapZeroesData = new("unmap_zeroes_data", 1, 0, 1, "If set to 1, unmapped blocks read back as zeros (LBPRZ).");

    /// <summary>MAXIMUM UNMAP LBA COUNT; 0: SharpSAN's default.</summary>
    public static readonly LioAttribute MaxUnmapLbaCount = new("max_unmap_lba_count", 1048576, 0, int.MaxValue, "Maximum number of LBAs one UNMAP command may deallocate.");

    /// <summary>MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT; 0: SharpSAN's default.</summary>
    public static readonly LioAttribute MaxUnmapBlockDescCount = new("max_unmap_block_desc_count", 256, 0, int.MaxValue, "Maximum number of block descriptors in one UNMAP command.");

    /// <summary>OPTIMAL UNMAP GRANULARITY; 0: the backstore's allocation unit.</summary>
    public static readonly LioAttribute UnmapGranularity = new("unmap_granularity", 1, 0, int.MaxValue, "Optimal UNMAP granularity, in logical blocks.");

    /// <summary>UNMAP GRANULARITY ALIGNMENT.</summary>
    public static readonly LioAttribute UnmapGranularityAlignment = new("unmap_granularity_alignment", 0, 0, int.MaxValue, "UNMAP granularity alignment, in logical blocks.");

    /// <summary>MAXIMUM WRITE SAME LENGTH; 0: no limit.</summary>
    public static readonly LioAttribute MaxWriteSameLen = new("max_write_same_len", 65535, 0, int.MaxValue, "Maximum number of blocks one WRITE SAME command may write.");

    /// <summary>TAS of the control mode page (SPC-4 7.5.8): commands aborted by another initiator end
    /// with TASK ABORTED status; LIO's default 1.</summary>
    public static readonly LioAttribute EmulateTas = new("emulate_tas", 1, 0, 1, "If set to 1, commands aborted by another initiator complete with TASK ABORTED status (TAS).");

    /// <summary>Every storage object attribute SharpSAN honours, in LIO's (alphabetical) order.</summary>
    public static readonly IReadOnlyList<LioAttribute> Honoured =
    [
        EmulateTas, EmulateTpu, EmulateTpws, MaxUnmapBlockDescCount, MaxUnmapLbaCount, MaxWriteSameLen,
        UnmapGranularity, UnmapGranularityAlignment, UnmapZeroesData,
    ];

    public static LioAttribute? Find(string name) => Honoured.FirstOrDefault(a => a.Name == name);
}
