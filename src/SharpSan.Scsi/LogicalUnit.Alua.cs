namespace SharpSan.Scsi;

// Asymmetric logical unit access (SPC-4 5.15): the unit's target port groups, shared by every LUN
// that exports it, since one unit serves every export of its storage object.
public sealed partial class LogicalUnit
{
    /// <summary>The unit's target port groups and their members (SPC-4 5.15.2.3).</summary>
    public AluaGroups Alua { get; }
}
