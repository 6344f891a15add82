namespace SharpSan.Scsi;

/// <summary>What the checks that precede every command (<see cref="ScsiDispatcher.Prepare"/>) must
/// know about a command.</summary>
[Flags]
internal enum CommandFlags
{
    None = 0,

    /// <summary>Runs when the LUN is not in the nexus' inventory (SPC-4 4.6.2: INQUIRY, REPORT LUNS,
    /// REQUEST SENSE); every other command gets LOGICAL UNIT NOT SUPPORTED.</summary>
    AllowedOnUnmappedLun = 0x01,

    /// <summary>Runs with a unit attention pending and leaves it pending (SAM-5 5.14: INQUIRY,
    /// REPORT LUNS, REQUEST SENSE).</summary>
    AllowedWithUnitAttention = 0x02,

    /// <summary>Does not conflict with a RESERVE(6)/(10) reservation held by another nexus
    /// (SPC-2 5.5.1, table 10).</summary>
    AllowedWithReservation = 0x04,

    /// <summary>Writes the medium: DATA PROTECT / WRITE PROTECTED when the LU is write-protected
    /// (SBC-3 4.9).</summary>
    MediumWrite = 0x08,

    /// <summary>Data-Out that carries logical blocks: the initiator's expected length must equal the
    /// CDB's, or the command is rejected before any data moves (as LIO does).</summary>
    BlockDataOut = 0x10,

    /// <summary>Needs a ready logical unit: answered NOT READY (MEDIUM NOT PRESENT, or BECOMING READY
    /// for an offline disk) when the unit is offline or has no medium (SPC-4 4.5.6 sense key 2h,
    /// SBC-3, MMC-6). INQUIRY, REPORT LUNS, REQUEST SENSE and the commands that report or
    /// change the medium state (START STOP UNIT, GET EVENT STATUS NOTIFICATION...) run without it.</summary>
    MediumAccess = 0x20,

    // ---- Provisioning: its flags below this line, values 0x40 and 0x80 ----

    // ---- Block (COMPARE AND WRITE, ...): its flags below this line, values 0x100 to 0x800 ----

    /// <summary>Reads and writes the medium as one atomic operation (COMPARE AND WRITE, ORWRITE, WRITE
    /// ATOMIC, SANITIZE; SBC-3 5.2, 5.13): the command closes the unit's <see cref="AtomicWriteGate"/>
    /// itself, so the dispatcher does not count it as an ordinary writer.</summary>
    AtomicWrite = 0x100,

    // ---- PersistentReservations: its flags below this line, values 0x1000 to 0x8000 ----

    /// <summary>Allowed through every persistent reservation type from any I_T nexus (SPC-4 5.13.1 table
    /// 5.6: INQUIRY, REPORT LUNS, REQUEST SENSE, PERSISTENT RESERVE IN/OUT (which check themselves),
    /// TEST UNIT READY, READ CAPACITY, REPORT TARGET PORT GROUPS...).</summary>
    PersistentReservationAllowed = 0x1000,

    /// <summary>Read-like: allowed from any I_T nexus through the Write Exclusive types, conflicts with
    /// the Exclusive Access types unless registered under Registrants Only / All Registrants (table 5.6:
    /// MODE SENSE, READ, VERIFY, PRE-FETCH...).</summary>
    PersistentReservationAllowedWriteExclusive = 0x2000,

    /// <summary>Allowed or not depending on CDB fields (SBC-3 4.17: PREVENT ALLOW MEDIUM REMOVAL with
    /// PREVENT 00b, START STOP UNIT with START=1 and POWER CONDITION 0h are allowed).</summary>
    PersistentReservationByCdb = 0x4000,

    // ---- ExtendedCopy: its flags below this line, values 0x10000 to 0x80000 ----

    // ---- Alua: its flags below this line, values 0x100000 to 0x800000 ----
    /// <summary>Runs through a target port in standby state (SPC-4 5.15.2.4.4: INQUIRY, REPORT LUNS, LOG
    /// SELECT/SENSE, MODE SELECT/SENSE, RECEIVE DIAGNOSTIC RESULTS, SEND DIAGNOSTIC, REPORT/SET TARGET
    /// PORT GROUPS, REQUEST SENSE, PERSISTENT RESERVE IN/OUT, READ/WRITE BUFFER; READ CAPACITY as LIO).</summary>
    AllowedInStandby = 0x100000,

    /// <summary>Runs through a target port in unavailable state (SPC-4 5.15.2.4.5: INQUIRY, REPORT LUNS,
    /// REPORT/SET TARGET PORT GROUPS, REQUEST SENSE, READ/WRITE BUFFER).</summary>
    AllowedInUnavailable = 0x200000,

    /// <summary>Runs through a target port in transition (SPC-4 5.15.2.5: INQUIRY, REPORT LUNS, REPORT
    /// TARGET PORT GROUPS, REQUEST SENSE, READ/WRITE BUFFER).</summary>
    AllowedInTransitioning = 0x400000,

    /// <summary>Runs through an offline target port (INQUIRY, REPORT LUNS, REQUEST SENSE).</summary>
    AllowedInOffline = 0x800000,

    // ---- Reporting: its flags below this line, values 0x1000000 to 0x8000000 ----
}
