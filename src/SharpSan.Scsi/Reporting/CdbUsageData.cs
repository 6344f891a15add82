namespace SharpSan.Scsi.Reporting;

/// <summary>
/// The CDB USAGE DATA of every command any command set here serves (SPC-4 6.35.3, REPORT SUPPORTED
/// OPERATION CODES one_command format): byte 0 is the operation code, byte 1 of a command with service
/// actions holds its service action in bits 4..0 (SPC-4: "in the same location as the SERVICE ACTION
/// field"; bytes 8-9 of a variable length CDB), and every other bit is set where the CDB field it belongs
/// to is used or allowed. The ADDITIONAL CDB LENGTH of a variable length CDB holds its value (18h), as
/// disks report it: it has exactly one valid value, which Prepare checks.
/// The table is also the reserved-field check run after each command's parser
/// (<see cref="CheckReservedBits"/>): a bit outside the usage data is refused with INVALID FIELD IN CDB
/// (SPC-4 4.4.1 lets a device server check reserved fields), so the usage data reported is exactly what
/// the device server accepts. The CONTROL byte is left to <see cref="ScsiDispatcher.Prepare"/>'s own
/// NACA/LINK check: its vendor-specific and reserved bits are ignored, and reported as 0.
/// One row per operation code (and service action): a command added to a command set without a row
/// here fails the tests (every row of every set must have usage data).
/// </summary>
internal static class CdbUsageData
{
    // Key: opcode << 16 | service action (0 for commands without one).
    private static readonly Dictionary<int, byte[]> Common = Build(
    [
        // ---- SPC-4 ----
        ("00", "00 00 00 00 00 00"),                                  // TEST UNIT READY (6.47)
        ("03", "03 01 00 00 FF 00"),                                  // REQUEST SENSE (6.29): DESC
        ("12", "12 01 FF FF FF 00"),                                  // INQUIRY (6.6): EVPD, PAGE CODE, ALLOCATION LENGTH
        ("A0", "A0 00 FF 00 00 00 FF FF FF FF 00 00"),                // REPORT LUNS (6.33)
        ("1A", "1A 08 FF FF FF 00"),                                  // MODE SENSE(6) (6.11): DBD, PC, PAGE, SUBPAGE
        ("5A", "5A 18 FF FF 00 00 00 FF FF 00"),                      // MODE SENSE(10) (6.12): LLBAA, DBD
        ("15", "15 10 00 00 FF 00"),                                  // MODE SELECT(6) (6.9): PF (SP refused: no saved pages)
        ("55", "55 10 00 00 00 00 00 FF FF 00"),                      // MODE SELECT(10) (6.10)
        ("16", "16 00 00 00 00 00"),                                  // RESERVE(6) (SPC-2 7.21): no extents
        ("56", "56 00 00 00 00 00 00 00 00 00"),                      // RESERVE(10): no third party, no LONGID
        ("17", "17 00 00 00 00 00"),                                  // RELEASE(6)
        ("57", "57 00 00 00 00 00 00 00 00 00"),                      // RELEASE(10)
        ("1E", "1E 00 00 00 01 00"),                                  // PREVENT ALLOW MEDIUM REMOVAL (SBC-3 5.11): PREVENT 00b/01b
        ("4C", "4C 02 FF FF 00 00 00 FF FF 00"),                      // LOG SELECT (6.5): PCR (SP refused), PC, PAGE, SUBPAGE
        ("4D", "4D 00 FF FF 00 FF FF FF FF 00"),                      // LOG SENSE (6.6): PC, PAGE, SUBPAGE, PARAMETER POINTER
        ("5E/00", "5E 00 00 00 00 00 00 FF FF 00"),                   // PERSISTENT RESERVE IN (6.15) READ KEYS
        ("5E/01", "5E 01 00 00 00 00 00 FF FF 00"),                   //   READ RESERVATION
        ("5E/02", "5E 02 00 00 00 00 00 FF FF 00"),                   //   REPORT CAPABILITIES
        ("5E/03", "5E 03 00 00 00 00 00 FF FF 00"),                   //   READ FULL STATUS
        ("5F/00", "5F 00 FF 00 00 FF FF FF FF 00"),                   // PERSISTENT RESERVE OUT (6.16) REGISTER: SCOPE, TYPE
        ("5F/01", "5F 01 FF 00 00 FF FF FF FF 00"),                   //   RESERVE
        ("5F/02", "5F 02 FF 00 00 FF FF FF FF 00"),                   //   RELEASE
        ("5F/03", "5F 03 FF 00 00 FF FF FF FF 00"),                   //   CLEAR
        ("5F/04", "5F 04 FF 00 00 FF FF FF FF 00"),                   //   PREEMPT
        ("5F/05", "5F 05 FF 00 00 FF FF FF FF 00"),                   //   PREEMPT AND ABORT
        ("5F/06", "5F 06 FF 00 00 FF FF FF FF 00"),                   //   REGISTER AND IGNORE EXISTING KEY
        ("5F/07", "5F 07 FF 00 00 FF FF FF FF 00"),                   //   REGISTER AND MOVE
        ("83/00", "83 00 00 00 00 00 00 00 00 00 FF FF FF FF 00 00"), // EXTENDED COPY(LID1) (6.4)
        ("84/00", "84 00 FF 00 00 00 00 00 00 00 FF FF FF FF 00 00"), // RECEIVE COPY RESULTS (6.18) COPY STATUS: LIST ID
        ("84/01", "84 01 FF 00 00 00 00 00 00 00 FF FF FF FF 00 00"), //   RECEIVE DATA: LIST ID
        ("84/03", "84 03 00 00 00 00 00 00 00 00 FF FF FF FF 00 00"), //   OPERATING PARAMETERS
        ("84/04", "84 04 FF 00 00 00 00 00 00 00 FF FF FF FF 00 00"), //   FAILED SEGMENT DETAILS: LIST ID
        ("A3/0A", "A3 2A 00 00 00 00 FF FF FF FF 00 00"),             // REPORT TARGET PORT GROUPS (6.36): PARAMETER DATA FORMAT 000b/001b
        ("A3/0C", "A3 0C 87 FF FF FF FF FF FF FF 00 00"),             // REPORT SUPPORTED OPERATION CODES (6.35): RCTD, OPTIONS
        ("A3/0D", "A3 0D 80 00 00 00 FF FF FF FF 00 00"),             // REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS (6.37): REPD
        ("A3/0F", "A3 0F 00 00 00 00 FF FF FF FF 00 00"),             // REPORT TIMESTAMP (6.38)
        ("A4/0A", "A4 0A 00 00 00 00 FF FF FF FF 00 00"),             // SET TARGET PORT GROUPS (6.46)
        ("A4/0F", "A4 0F 00 00 00 00 FF FF FF FF 00 00"),             // SET TIMESTAMP (6.45)

        // ---- SBC-3 ----
        ("04", "04 FF 00 00 03 00"),                                  // FORMAT UNIT (5.3): FMTPINFO..DEFECT LIST FORMAT, FFMT (SBC-4)
        ("08", "08 1F FF FF FF 00"),                                  // READ(6) (5.7)
        ("0A", "0A 1F FF FF FF 00"),                                  // WRITE(6) (5.29)
        ("1B", "1B 01 00 0F F7 00"),                                  // START STOP UNIT (5.25): IMMED, POWER CONDITION (MODIFIER), NO_FLUSH, LOEJ, START
        ("25", "25 00 FF FF FF FF 00 00 01 00"),                      // READ CAPACITY(10) (5.15): LBA with PMI
        ("28", "28 1E FF FF FF FF 1F FF FF 00"),                      // READ(10) (5.8): DPO, FUA, RARC, FUA_NV, GROUP NUMBER
        ("2A", "2A 1A FF FF FF FF 1F FF FF 00"),                      // WRITE(10) (5.30): DPO, FUA, FUA_NV
        ("2E", "2E 12 FF FF FF FF 1F FF FF 00"),                      // WRITE AND VERIFY(10) (5.37): DPO, BYTCHK 0/1
        ("2F", "2F 16 FF FF FF FF 1F FF FF 00"),                      // VERIFY(10) (5.33): DPO, BYTCHK
        ("34", "34 02 FF FF FF FF 1F FF FF 00"),                      // PRE-FETCH(10) (5.12): IMMED
        ("35", "35 06 FF FF FF FF 1F FF FF 00"),                      // SYNCHRONIZE CACHE(10) (5.26): SYNC_NV, IMMED
        ("37", "37 00 1F 00 00 00 00 FF FF 00"),                      // READ DEFECT DATA(10) (5.17): REQ_PLIST, REQ_GLIST, FORMAT
        ("41", "41 18 FF FF FF FF 1F FF FF 00"),                      // WRITE SAME(10) (5.42): ANCHOR, UNMAP
        ("42", "42 01 00 00 00 00 1F FF FF 00"),                      // UNMAP (5.28): ANCHOR, GROUP NUMBER
        ("48/01", "48 A1 00 00 00 00 00 FF FF 00"),                   // SANITIZE (5.24) OVERWRITE: IMMED, AUSE
        ("48/02", "48 A2 00 00 00 00 00 00 00 00"),                   //   BLOCK ERASE
        ("48/03", "48 A3 00 00 00 00 00 00 00 00"),                   //   CRYPTOGRAPHIC ERASE
        ("48/1F", "48 BF 00 00 00 00 00 00 00 00"),                   //   EXIT FAILURE MODE: IMMED (AUSE ignored)
        ("88", "88 1E FF FF FF FF FF FF FF FF FF FF FF FF 1F 00"),    // READ(16) (5.10)
        ("89", "89 1A FF FF FF FF FF FF FF FF 00 00 00 FF 1F 00"),    // COMPARE AND WRITE (5.2): DPO, FUA, FUA_NV, NUMBER OF LOGICAL BLOCKS
        ("8A", "8A 1A FF FF FF FF FF FF FF FF FF FF FF FF 1F 00"),    // WRITE(16) (5.32)
        ("8B", "8B 1A FF FF FF FF FF FF FF FF FF FF FF FF 1F 00"),    // ORWRITE(16) (5.6)
        ("8E", "8E 12 FF FF FF FF FF FF FF FF FF FF FF FF 1F 00"),    // WRITE AND VERIFY(16) (5.39)
        ("8F", "8F 16 FF FF FF FF FF FF FF FF FF FF FF FF 1F 00"),    // VERIFY(16) (5.35)
        ("90", "90 02 FF FF FF FF FF FF FF FF FF FF FF FF 1F 00"),    // PRE-FETCH(16) (5.13)
        ("91", "91 06 FF FF FF FF FF FF FF FF FF FF FF FF 1F 00"),    // SYNCHRONIZE CACHE(16) (5.27)
        ("93", "93 19 FF FF FF FF FF FF FF FF FF FF FF FF 1F 00"),    // WRITE SAME(16) (5.43): ANCHOR, UNMAP, NDOB
        ("7F/000D", "7F 00 00 00 00 00 1F 18 00 0D 19 00 FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF"),
                                                                      // WRITE SAME(32) (SBC-4 5.x): GROUP NUMBER, ANCHOR, UNMAP, NDOB, LBA,
                                                                      // expected reference/application tags and mask (ignored: no protection information), NUMBER OF LOGICAL BLOCKS
        ("9C", "9C 18 FF FF FF FF FF FF FF FF FF FF FF FF 1F 00"),    // WRITE ATOMIC(16) (SBC-4 5.48): DPO, FUA, ATOMIC BOUNDARY
        ("9E/10", "9E 10 FF FF FF FF FF FF FF FF FF FF FF FF 01 00"), // READ CAPACITY(16) (5.16): LBA with PMI
        ("9E/12", "9E 12 FF FF FF FF FF FF FF FF FF FF FF FF 03 00"), // GET LBA STATUS (5.4); REPORT TYPE (SBC-4)
        ("A8", "A8 1E FF FF FF FF FF FF FF FF 1F 00"),                // READ(12) (5.9)
        ("AA", "AA 1A FF FF FF FF FF FF FF FF 1F 00"),                // WRITE(12) (5.31)
        ("AE", "AE 12 FF FF FF FF FF FF FF FF 1F 00"),                // WRITE AND VERIFY(12) (5.38)
        ("AF", "AF 16 FF FF FF FF FF FF FF FF 1F 00"),                // VERIFY(12) (5.34)
        ("B7", "B7 1F FF FF FF FF FF FF FF FF 00 00"),                // READ DEFECT DATA(12) (5.18): REQ_PLIST, REQ_GLIST, FORMAT, ADDRESS DESCRIPTOR INDEX

        // ---- MMC-6 (CD/DVD) ----
        ("43", "43 02 0F 00 00 00 FF FF FF C0"),                      // READ TOC/PMA/ATIP: MSF, FORMAT, TRACK/SESSION (old FORMAT is in CONTROL bits 7-6)
        ("46", "46 03 FF FF 00 00 00 FF FF 00"),                      // GET CONFIGURATION: RT, STARTING FEATURE NUMBER
        ("4A", "4A 01 00 00 FF 00 00 FF FF 00"),                      // GET EVENT STATUS NOTIFICATION: POLLED, CLASS REQUEST
        ("51", "51 00 00 00 00 00 00 FF FF 00"),                      // READ DISC INFORMATION: DATA TYPE 000b only
        ("52", "52 07 FF FF FF FF 00 FF FF 00"),                      // READ TRACK INFORMATION: OPEN, ADDRESS/NUMBER TYPE
        ("AD", "AD 00 FF FF FF FF FF FF FF FF C0 00"),                // READ DISC STRUCTURE: ADDRESS, LAYER, FORMAT, AGID
        ("BB", "BB 03 FF FF FF FF 00 00 00 00 00 00"),                // SET CD SPEED: ROTATIONAL CONTROL, READ/WRITE SPEED
        ("BD", "BD 00 00 00 00 00 00 00 FF FF 00 00"),                // MECHANISM STATUS
    ]);

    /// <summary>Where a command of a CD/DVD drive uses a field the disk's command of the same opcode does not.</summary>
    private static readonly Dictionary<int, byte[]> Mmc = Build(
    [
        ("1E", "1E 00 00 00 03 00"),                                  // PREVENT ALLOW MEDIUM REMOVAL (MMC-6): PERSISTENT PREVENT too
        ("A8", "A8 1E FF FF FF FF FF FF FF FF 9F 00"),                // READ(12) (MMC-6): STREAMING
    ]);

    /// <summary>The usage data of <paramref name="command"/> in the command set of <paramref name="type"/>;
    /// null when the table has no row for it (a defect the tests catch).</summary>
    public static byte[]? Find(PeripheralDeviceType type, ScsiOpcode opcode, int serviceAction)
    {
        int key = Key((byte)opcode, serviceAction == CommandDescriptor.NoServiceAction ? 0 : serviceAction);
        if (type == PeripheralDeviceType.CdDvd && Mmc.TryGetValue(key, out byte[]? mmc))
        {
            return mmc;
        }

        return Common.GetValueOrDefault(key);
    }

    /// <summary>
    /// SPC-4 4.4.1 / 6.35.3: refuses a CDB that sets a bit the command's usage data leaves clear, with
    /// INVALID FIELD IN CDB pointing at the highest such bit. Runs after the command's parser, so a field
    /// the parser checks itself (RDPROTECT, CmdDt...) is reported by it, pointing at the field's top bit. The CONTROL byte and the service action
    /// bits of byte 1 are not checked here (the command lookup and Prepare's CONTROL check own them), nor a variable
    /// length CDB's ADDITIONAL CDB LENGTH and SERVICE ACTION (bytes 7-9, checked by the lookup and Prepare).
    /// No allocation: the usage data of a row is looked up once and kept on the row.
    /// </summary>
    public static bool CheckReservedBits(ScsiTask task, CommandDescriptor command, PeripheralDeviceType type)
    {
        byte[]? usage = command.UsageData;
        if (usage is null)
        {
            usage = Find(type, command.Opcode, command.ServiceAction);
            if (usage is null)
            {
                return true;
            }

            command.UsageData = usage;
        }

        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        int length = Math.Min(usage.Length, command.CdbLength);
        int control = command.ControlByte;
        bool variableLength = command.IsVariableLength;
        for (int i = 1; i < length; i++)
        {
            if (i == control || (variableLength && i is >= 7 and <= 9))
            {
                continue;
            }

            int allowed = usage[i];
            if (i == 1 && command.ServiceAction != CommandDescriptor.NoServiceAction)
            {
                allowed |= 0x1F;
            }

            int extra = cdb[i] & ~allowed;
            if (extra != 0)
            {
                task.Fail(SenseReason.InvalidFieldInCdb, i, 31 - System.Numerics.BitOperations.LeadingZeroCount((uint)extra));
                return false;
            }
        }

        return true;
    }

    private static int Key(byte opcode, int serviceAction) => (opcode << 16) | (serviceAction & 0xFFFF);

    private static Dictionary<int, byte[]> Build((string Key, string Hex)[] rows)
    {
        var map = new Dictionary<int, byte[]>(rows.Length);
        foreach ((string key, string hex) in rows)
        {
            byte opcode = Convert.ToByte(key[..2], 16);
            int serviceAction = key.Length > 2 ? Convert.ToUInt16(key[3..], 16) : 0;
            map.Add(Key(opcode, serviceAction), Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal)));
        }

        return map;
    }
}
