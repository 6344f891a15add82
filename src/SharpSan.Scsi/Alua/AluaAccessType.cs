namespace SharpSan.Scsi;

/// <summary>
/// How a target port group's asymmetric access state may change: the TPGS field of standard INQUIRY
/// data (SPC-4 6.6.2, byte 5 bits 5..4) and LIO's alua_access_type attribute (0..3).
/// </summary>
[Flags]
public enum AluaAccessType : byte
{
    /// <summary>Asymmetric access is not supported (TPGS 00b).</summary>
    None = 0,

    /// <summary>The device server changes states itself, or the administrator does (TPGS 01b).</summary>
    Implicit = 1,

    /// <summary>SET TARGET PORT GROUPS changes states (TPGS 10b).</summary>
    Explicit = 2,

    /// <summary>Both (TPGS 11b): LIO's default.</summary>
    ImplicitAndExplicit = Implicit | Explicit,
}
