namespace SharpSan.Scsi;

/// <summary>
/// Target port asymmetric access states (SPC-4 5.15.2.4, the ASYMMETRIC ACCESS STATE field of REPORT
/// TARGET PORT GROUPS and SET TARGET PORT GROUPS). Values as on the wire and as LIO's
/// alua_access_state attribute takes them.
/// </summary>
public enum AsymmetricAccessState : byte
{
    /// <summary>Every command runs at full performance (SPC-4 5.15.2.4.2).</summary>
    ActiveOptimized = 0x0,

    /// <summary>Every command runs, possibly slower (SPC-4 5.15.2.4.3).</summary>
    ActiveNonOptimized = 0x1,

    /// <summary>Only the commands that manage the LU and its ports run; others NOT READY, LOGICAL UNIT
    /// NOT ACCESSIBLE, TARGET PORT IN STANDBY STATE (SPC-4 5.15.2.4.4).</summary>
    Standby = 0x2,

    /// <summary>Fewer commands still; others NOT READY, ... TARGET PORT IN UNAVAILABLE STATE (SPC-4 5.15.2.4.5).</summary>
    Unavailable = 0x3,

    /// <summary>Access depends on the LBA (SPC-4 5.15.2.4.6); not supported here (LBD_SUP is never set).</summary>
    LbaDependent = 0x4,

    /// <summary>The port is offline (SPC-4 5.15.2.4.8): NOT READY, LOGICAL UNIT NOT READY, OFFLINE.</summary>
    Offline = 0xE,

    /// <summary>Between two states (SPC-4 5.15.2.5): NOT READY, ASYMMETRIC ACCESS STATE TRANSITION.</summary>
    Transitioning = 0xF,
}
