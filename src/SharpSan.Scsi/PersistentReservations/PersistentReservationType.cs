namespace SharpSan.Scsi;

/// <summary>Persistent reservation types (SPC-4 6.16.3, table 170): the TYPE field of PERSISTENT
/// RESERVE OUT and of READ RESERVATION / READ FULL STATUS data.</summary>
public enum PersistentReservationType : byte
{
    /// <summary>No persistent reservation.</summary>
    None = 0x0,
    WriteExclusive = 0x1,
    ExclusiveAccess = 0x3,
    WriteExclusiveRegistrantsOnly = 0x5,
    ExclusiveAccessRegistrantsOnly = 0x6,
    WriteExclusiveAllRegistrants = 0x7,
    ExclusiveAccessAllRegistrants = 0x8,
}

/// <summary>What each type means for access (SPC-4 5.13.1 and table 5.6's columns).</summary>
internal static class PersistentReservationTypes
{
    /// <summary>One of the six types a device server may support (SPC-4 table 170).</summary>
    public static bool IsValid(int type) => type is 0x1 or 0x3 or 0x5 or 0x6 or 0x7 or 0x8;

    /// <summary>Write Exclusive, Write Exclusive - Registrants Only / All Registrants: reads stay open
    /// to everyone.</summary>
    public static bool IsWriteExclusive(this PersistentReservationType type) =>
        type is PersistentReservationType.WriteExclusive or PersistentReservationType.WriteExclusiveRegistrantsOnly
            or PersistentReservationType.WriteExclusiveAllRegistrants;

    /// <summary>Registrants Only: every registered I_T nexus has access (SPC-4 5.13.1).</summary>
    public static bool IsRegistrantsOnly(this PersistentReservationType type) =>
        type is PersistentReservationType.WriteExclusiveRegistrantsOnly or PersistentReservationType.ExclusiveAccessRegistrantsOnly;

    /// <summary>All Registrants: every registered I_T nexus is a reservation holder (SPC-4 5.13.10).</summary>
    public static bool IsAllRegistrants(this PersistentReservationType type) =>
        type is PersistentReservationType.WriteExclusiveAllRegistrants or PersistentReservationType.ExclusiveAccessAllRegistrants;

    /// <summary>The PERSISTENT RESERVATION TYPE MASK of REPORT CAPABILITIES (SPC-4 6.15.4): all six.</summary>
    public const ushort SupportedMask = 0x80 << 8 | 0x40 << 8 | 0x20 << 8 | 0x08 << 8 | 0x02 << 8 | 0x01;
}
