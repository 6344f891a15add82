namespace SharpSan.Scsi;

/// <summary>What RESERVE(6)/(10) and RELEASE(6)/(10) do while persistent reservation state exists
/// (SPC-4 5.13.3).</summary>
internal enum Spc2ReservationOutcome
{
    /// <summary>No registration exists: processed as SPC-2 defines.</summary>
    Proceed,

    /// <summary>GOOD status, but nothing is reserved or released.</summary>
    GoodWithoutEffect,

    /// <summary>RESERVATION CONFLICT.</summary>
    Conflict,
}

/// <summary>
/// Which commands a persistent reservation lets through (SPC-4 5.13.1 table 5.6 with SBC-3 4.17's rows
/// for block commands). The columns: a Write Exclusive or Exclusive Access reservation held by another
/// I_T nexus stops every command but the <see cref="CommandFlags.PersistentReservationAllowed"/> ones,
/// and under a Write Exclusive type the read-like <see cref="CommandFlags.PersistentReservationAllowedWriteExclusive"/>
/// ones too; a Registrants Only or All Registrants reservation lets every command of a registered
/// I_T nexus through and treats an unregistered one as the plain types do.
/// </summary>
internal static class ReservationConflict
{
    /// <summary>True when <paramref name="state"/> makes the command conflict for <paramref name="nexus"/>.
    /// Called only while a reservation exists.</summary>
    public static bool Conflicts(PersistentReservationState state, ItNexus nexus, CommandFlags flags, ReadOnlySpan<byte> cdb)
    {
        if ((flags & CommandFlags.PersistentReservationAllowed) != 0)
        {
            return false;
        }

        if ((flags & CommandFlags.PersistentReservationByCdb) != 0 && AllowedByCdb(cdb))
        {
            return false;
        }

        PersistentReservationType type = state.Type;
        if (type.IsWriteExclusive() && (flags & CommandFlags.PersistentReservationAllowedWriteExclusive) != 0)
        {
            return false;
        }

        Registration? registration = state.Find(nexus);
        if (registration is null)
        {
            return true;
        }

        // The holder is never in conflict; under Registrants Only and All Registrants every registrant
        // has full access (table 5.6, "from a registered I_T nexus").
        return !(state.IsHolder(registration) || type.IsRegistrantsOnly() || type.IsAllRegistrants());
    }

    /// <summary>SBC-3 4.17 rows that depend on the CDB: PREVENT ALLOW MEDIUM REMOVAL with PREVENT 00b,
    /// and START STOP UNIT with START=1 and POWER CONDITION 0h, are allowed through every type.</summary>
    private static bool AllowedByCdb(ReadOnlySpan<byte> cdb) => (ScsiOpcode)cdb[0] switch
    {
        ScsiOpcode.PreventAllowMediumRemoval => (cdb[4] & 0x03) == 0,
        ScsiOpcode.StartStopUnit => (cdb[4] & 0xF1) == 0x01,
        _ => false,
    };

    /// <summary>
    /// SPC-4 5.13.3: RESERVE and RELEASE complete with GOOD and no effect when sent by the persistent
    /// reservation holder, or by a registrant while a Registrants Only or All Registrants reservation
    /// exists; otherwise, while any registration exists, they conflict (SPC-2 5.5.1: "all RESERVE
    /// commands and all RELEASE commands regardless of initiator shall conflict").
    /// </summary>
    public static Spc2ReservationOutcome ForReserveRelease(PersistentReservationState? state, ItNexus nexus)
    {
        if (state is null || state.Registrations.Count == 0)
        {
            return Spc2ReservationOutcome.Proceed;
        }

        Registration? registration = state.Find(nexus);
        if (registration is not null &&
            (state.IsHolder(registration) || state.Type.IsRegistrantsOnly() || state.Type.IsAllRegistrants()))
        {
            return Spc2ReservationOutcome.GoodWithoutEffect;
        }

        return Spc2ReservationOutcome.Conflict;
    }
}
