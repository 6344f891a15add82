namespace SharpSan.Scsi;

/// <summary>One logical unit as one I_T nexus sees it: the LU and whether this nexus may write it
/// (ACL mapped LUN <c>write_protect</c>, or demo_mode_write_protect for generated ACLs).</summary>
public readonly record struct LunEntry(ulong Lun, LogicalUnit Unit, bool WriteProtected);

/// <summary>
/// The LUN inventory of one I_T nexus (SAM-5 "logical unit inventory"): what REPORT LUNS lists and
/// what a task's LUN resolves to. Built by the fabric from TPG LUNs and ACL mapped LUNs.
/// </summary>
public interface ILunMap
{
    bool TryGet(ulong lun, out LunEntry entry);

    /// <summary>The LUNs in ascending order.</summary>
    IReadOnlyList<LunEntry> Entries { get; }
}
