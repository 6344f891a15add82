namespace SharpSan.Scsi;

/// <summary>
/// Why a target port group is in its state: the STATUS CODE of its REPORT TARGET PORT GROUPS descriptor
/// (SPC-4 6.35, table 283) and LIO's alua_access_status attribute.
/// </summary>
public enum AluaStatus : byte
{
    /// <summary>No status available.</summary>
    None = 0,

    /// <summary>Target port asymmetric access state altered by SET TARGET PORT GROUPS.</summary>
    AlteredByExplicitStpg = 1,

    /// <summary>Target port asymmetric access state altered by implicit asymmetric logical unit access
    /// (here: the administrator).</summary>
    AlteredByImplicitAlua = 2,
}
