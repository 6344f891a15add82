namespace SharpSan.Scsi;

/// <summary>
/// The states a target port group supports: byte 1 of its REPORT TARGET PORT GROUPS descriptor
/// (SPC-4 6.35: T_SUP, O_SUP, LBD_SUP, U_SUP, S_SUP, AN_SUP, AO_SUP), LIO's alua_support_* attributes.
/// </summary>
[Flags]
public enum SupportedAccessStates : byte
{
    None = 0,
    ActiveOptimized = 0x01,
    ActiveNonOptimized = 0x02,
    Standby = 0x04,
    Unavailable = 0x08,
    LbaDependent = 0x10,
    Offline = 0x40,
    Transitioning = 0x80,

    /// <summary>What LIO gives a new group: every state but LBA dependent.</summary>
    LioDefault = ActiveOptimized | ActiveNonOptimized | Standby | Unavailable | Offline | Transitioning,
}
