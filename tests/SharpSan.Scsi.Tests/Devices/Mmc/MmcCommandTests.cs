namespace SharpSan.Scsi.Tests.Devices.Mmc;

/// <summary>Table-driven CDB -> status/sense cases of the MMC command set on a drive holding a 600-sector CD.</summary>
public sealed class MmcCommandTests
{
    // name, CDB hex, sense key, ASC, ASCQ (NoSense/0/0: GOOD)
    public static TheoryData<string, string, SenseKey, byte, byte> Cases => new()
    {
        { "TEST UNIT READY", "000000000000", SenseKey.NoSense, 0, 0 },
        { "READ(10) last sector", "28 00 00000257 00 0001 00", SenseKey.NoSense, 0, 0 },
        { "READ(10) past the end", "28 00 00000258 00 0001 00", SenseKey.IllegalRequest, 0x21, 0x00 },
        { "READ(12)", "A8 00 00000000 00000010 00 00", SenseKey.NoSense, 0, 0 },
        { "READ(16)", "88 00 0000000000000000 00000010 00 00", SenseKey.NoSense, 0, 0 },
        { "READ(6) is not an MMC command", "08 00 00 00 01 00", SenseKey.IllegalRequest, 0x20, 0x00 },
        { "WRITE(10): a read-only drive has no write command", "2A 00 00000000 00 0001 00", SenseKey.IllegalRequest, 0x20, 0x00 },
        { "WRITE(12)", "AA 00 00000000 00000001 00 00", SenseKey.IllegalRequest, 0x20, 0x00 },
        { "MODE SELECT(10)", "55 10 00 00 00 00 00 00 00 00", SenseKey.IllegalRequest, 0x20, 0x00 },
        { "unknown opcode", "C1 00 00 00 00 00", SenseKey.IllegalRequest, 0x20, 0x00 },
        { "READ CAPACITY(10)", "25 00 00000000 00 00 00 00", SenseKey.NoSense, 0, 0 },
        { "READ CAPACITY(16)", "9E 10 0000000000000000 00000020 00 00", SenseKey.NoSense, 0, 0 },
        { "SYNCHRONIZE CACHE(10)", "35 00 00000000 00 0000 00", SenseKey.NoSense, 0, 0 },
        { "SET CD SPEED", "BB 00 FFFF FFFF 00 00 00 00 00 00", SenseKey.NoSense, 0, 0 },
        { "GET CONFIGURATION RT=11b", "46 03 0000 00 00 00 0080 00", SenseKey.IllegalRequest, 0x24, 0x00 },
        { "GESN asynchronous", "4A 00 00 00 10 00 00 0008 00", SenseKey.IllegalRequest, 0x24, 0x00 },
        { "READ TOC format 3 (PMA)", "43 00 03 00 00 00 00 0040 00", SenseKey.IllegalRequest, 0x24, 0x00 },
        { "READ TOC track 2", "43 00 00 00 00 00 02 0040 00", SenseKey.IllegalRequest, 0x24, 0x00 },
        { "READ TOC full TOC session 2", "43 00 02 00 00 00 02 0040 00", SenseKey.IllegalRequest, 0x24, 0x00 },
        { "READ TOC legacy format in CONTROL", "43 00 00 00 00 00 00 0040 40", SenseKey.NoSense, 0, 0 },
        { "READ DISC INFORMATION track resources", "51 01 00 00 00 00 00 0022 00", SenseKey.IllegalRequest, 0x24, 0x00 },
        { "READ TRACK INFORMATION track 2", "52 01 00000002 00 0030 00", SenseKey.IllegalRequest, 0x24, 0x00 },
        { "READ TRACK INFORMATION LBA past the end", "52 00 00000258 00 0030 00", SenseKey.IllegalRequest, 0x24, 0x00 },
        { "READ TRACK INFORMATION session 1", "52 02 00000001 00 0030 00", SenseKey.NoSense, 0, 0 },
        { "READ DVD STRUCTURE of a CD", "AD 00 00000000 00 00 0804 00 00", SenseKey.IllegalRequest, 0x30, 0x02 },
        { "READ DVD STRUCTURE Blu-ray", "AD 01 00000000 00 00 0804 00 00", SenseKey.IllegalRequest, 0x24, 0x00 },
        { "READ DVD STRUCTURE list", "AD 00 00000000 00 FF 0100 00 00", SenseKey.NoSense, 0, 0 },
        { "MODE SENSE(10) caching page", "5A 00 08 00 00 00 00 00 FF 00", SenseKey.IllegalRequest, 0x24, 0x00 },
        { "MODE SENSE(10) saved values", "5A 00 EA 00 00 00 00 00 FF 00", SenseKey.IllegalRequest, 0x39, 0x00 },
        { "MODE SENSE(6) all pages", "1A 00 3F 00 FF 00", SenseKey.NoSense, 0, 0 },
        { "PREVENT persistent", "1E 00 00 00 02 00", SenseKey.NoSense, 0, 0 },
        { "INQUIRY block limits page", "12 01 B0 00 40 00", SenseKey.IllegalRequest, 0x24, 0x00 },
        { "MECHANISM STATUS", "BD 00 00 00 00 00 00 00 0008 00 00", SenseKey.NoSense, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cdb_gets_the_expected_status(string name, string cdb, SenseKey key, byte asc, byte ascq)
    {
        Result result = new CdDrive(CdDrive.Image()).Run(cdb);
        if (key == SenseKey.NoSense)
        {
            Assert.True(result.Status == ScsiStatus.Good, $"{name}: {result.Key} {result.Asc:X2}/{result.Ascq:X2}");
        }
        else
        {
            result.AssertSense(key, asc, ascq);
        }
    }

    // name, CDB hex: commands that need the medium get NOT READY without one; the others still answer.
    public static TheoryData<string, string, bool> WithoutMedium => new()
    {
        { "TEST UNIT READY", "000000000000", false },
        { "READ(10)", "28 00 00000000 00 0001 00", false },
        { "READ CAPACITY(10)", "25 00 00000000 00 00 00 00", false },
        { "READ TOC", "43 00 00 00 00 00 00 0040 00", false },
        { "READ DISC INFORMATION", "51 00 00 00 00 00 00 0022 00", false },
        { "READ TRACK INFORMATION", "52 01 00000001 00 0030 00", false },
        { "READ DVD STRUCTURE format 0", "AD 00 00000000 00 00 0804 00 00", false },
        { "INQUIRY", "12 00 00 00 60 00", true },
        { "GET CONFIGURATION", "46 00 0000 00 00 00 0080 00", true },
        { "GET EVENT STATUS NOTIFICATION", "4A 01 00 00 10 00 00 0008 00", true },
        { "MODE SENSE(10)", "5A 00 2A 00 00 00 00 00 FF 00", true },
        { "MECHANISM STATUS", "BD 00 00 00 00 00 00 00 0008 00 00", true },
        { "START STOP UNIT load", "1B 00 00 00 03 00", true },
        { "PREVENT ALLOW MEDIUM REMOVAL", "1E 00 00 00 01 00", true },
        { "REQUEST SENSE", "03 00 00 00 12 00", true },
    };

    [Theory]
    [MemberData(nameof(WithoutMedium))]
    public void An_empty_tray_answers_not_ready_to_medium_commands_only(string name, string cdb, bool good)
    {
        Result result = new CdDrive(null).Run(cdb);
        if (good)
        {
            Assert.True(result.Status == ScsiStatus.Good, $"{name}: {result.Key} {result.Asc:X2}/{result.Ascq:X2}");
        }
        else
        {
            // MMC-6 annex F: an empty drive's tray is open until something closes it.
            result.AssertSense(SenseKey.NotReady, 0x3A, 0x02);
        }
    }

    [Fact]
    public void Reads_return_the_image_sectors()
    {
        var drive = new CdDrive(CdDrive.Image());
        Result result = drive.Harness.Run(Harness.Read10(7, 3));
        result.AssertGood();
        Assert.Equal(drive.Medium!.Data.AsSpan(7 * 2048, 3 * 2048).ToArray(), result.Data);
    }

    [Fact]
    public void Read_capacity_reports_the_last_lba_and_2048_byte_blocks()
    {
        Result result = new CdDrive(CdDrive.Image(600)).Run("25 00 00000000 00 00 00 00");
        result.AssertGood();
        Assert.Equal(CdDrive.Hex("00000257 00000800"), result.Data);
    }

    [Fact]
    public void Request_sense_describes_the_missing_medium()
    {
        Result result = new CdDrive(null).Run("03 00 00 00 12 00");
        result.AssertGood();
        Assert.Equal((byte)SenseKey.NotReady, result.Data[2]);
        Assert.Equal((0x3A, 0x02), (result.Data[12], result.Data[13]));
    }
}
