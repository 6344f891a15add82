namespace SharpSan.Scsi;

/// <summary>
/// How a logical unit presents itself beyond its identity strings: the per-LUN flags tgt lets an
/// administrator set (tgtadm --params removable, online, readonly, sense_format). All of them can be
/// changed on a live unit with <see cref="LogicalUnit.Reconfigure"/>.
/// </summary>
public sealed record LogicalUnitSettings
{
    /// <summary>A disk with no special settings: not removable, online, writable, fixed-format sense.</summary>
    public static LogicalUnitSettings Default { get; } = new();

    /// <summary>RMB (SPC-4 6.6.2): the medium is removable, START STOP UNIT LOEJ ejects and loads it and
    /// PREVENT ALLOW MEDIUM REMOVAL locks it. Always true for a CD/DVD device.</summary>
    public bool Removable { get; init; }

    /// <summary>False: the unit answers NOT READY to every command that needs its medium (tgt's
    /// "online 0": MEDIUM NOT PRESENT when removable, BECOMING READY otherwise).</summary>
    public bool Online { get; init; } = true;

    /// <summary>Write protected whatever the backstore allows: writes get DATA PROTECT / WRITE
    /// PROTECTED and MODE SENSE reports WP (SBC-3 4.11, 6.4.1).</summary>
    public bool WriteProtected { get; init; }

    /// <summary>The initial D_SENSE of the control mode page (SPC-4 7.5.8): descriptor-format sense.</summary>
    public bool DescriptorSense { get; init; }

    /// <summary>The initial TAS of the control mode page (SPC-4 7.5.8): commands aborted by another
    /// I_T nexus complete with TASK ABORTED status. On by default, as LIO's emulate_tas.</summary>
    public bool TaskAbortedStatus { get; init; } = true;

    /// <summary>Logical block provisioning (SBC-3 4.7): fully provisioned unless thin provisioning is
    /// turned on (LIO's emulate_tpu / emulate_tpws).</summary>
    public LogicalBlockProvisioningSettings Provisioning { get; init; } = LogicalBlockProvisioningSettings.FullyProvisioned;
}
