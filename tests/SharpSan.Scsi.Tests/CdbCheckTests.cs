namespace SharpSan.Scsi.Tests;

/// <summary>Table-driven CDB -> (status, sense key/ASC/ASCQ, field pointer) cases on a 2048-block LU.</summary>
public class CdbCheckTests
{
    // name, CDB hex, status, sense key, ASC, ASCQ, field byte (-1 none), field bit (-1 none)
    public static TheoryData<string, string, ScsiStatus, SenseKey, byte, byte, int, int> Cases => new()
    {
        { "TUR", "000000000000", ScsiStatus.Good, SenseKey.NoSense, 0, 0, -1, -1 },
        { "unknown opcode", "C10000000000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x20, 0x00, -1, -1 },
        { "WRITE SAME(10) UNMAP on a fully provisioned disk", "41080000000000000100", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 1, 3 },
        { "UNMAP on a fully provisioned disk", "42000000000000001800", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x20, 0x00, -1, -1 },
        { "NACA in control byte", "000000000004", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 5, 2 },
        { "LINK in control byte", "000000000001", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 5, 0 },
        { "READ(10) RDPROTECT", "28200000000000000100", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 1, 7 },
        { "WRITE(16) WRPROTECT", "8A600000000000000000000000000000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 1, 7 },
        { "VERIFY(10) VRPROTECT", "2F200000000000000100", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 1, 7 },
        { "VERIFY(10) BYTCHK=10b", "2F040000000000000100", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 1, 2 },
        { "READ(10) last block", "280000000 7FF0000 0100", ScsiStatus.Good, SenseKey.NoSense, 0, 0, -1, -1 },
        { "READ(10) one past end", "28000000080000000100", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x21, 0x00, -1, -1 },
        { "READ(10) straddles end", "280000000 7FF0000 0200", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x21, 0x00, -1, -1 },
        { "READ(10) 0 blocks at end", "28000000080000000000", ScsiStatus.Good, SenseKey.NoSense, 0, 0, -1, -1 },
        { "READ(10) 0 blocks past end", "28000000080100000000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x21, 0x00, -1, -1 },
        { "READ(16) LBA wraps", "88 00 FFFFFFFFFFFFFFFF 00000002 0000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x21, 0x00, -1, -1 },
        { "READ(12) too long", "A8 00 00000000 00010000 0000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x21, 0x00, -1, -1 },
        { "READ(6) 0 = 256 blocks", "080000000000", ScsiStatus.Good, SenseKey.NoSense, 0, 0, -1, -1 },
        { "READ(6) beyond end", "080007FF0200", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x21, 0x00, -1, -1 },
        { "SYNC CACHE(10) whole", "35000000000000000000", ScsiStatus.Good, SenseKey.NoSense, 0, 0, -1, -1 },
        { "SYNC CACHE(10) IMMED", "35020000000000000000", ScsiStatus.Good, SenseKey.NoSense, 0, 0, -1, -1 },
        { "SYNC CACHE(16) past end", "91 00 0000000000000801 00000000 0000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x21, 0x00, -1, -1 },
        { "PRE-FETCH(10)", "34020000000003000010 ", ScsiStatus.Good, SenseKey.NoSense, 0, 0, -1, -1 },
        { "PRE-FETCH(16) past end", "90 00 0000000080000000 00000001 0000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x21, 0x00, -1, -1 },
        { "VERIFY(16) BYTCHK=0", "8F 00 0000000000000000 00000010 0000", ScsiStatus.Good, SenseKey.NoSense, 0, 0, -1, -1 },
        { "VERIFY(12) past end", "AF 00 00000800 00000001 0000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x21, 0x00, -1, -1 },
        { "INQUIRY CmdDt", "120200000000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 1, 1 },
        { "INQUIRY page without EVPD", "120080006000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 2, 7 },
        { "INQUIRY unsupported VPD", "1201C0006000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 2, 7 },
        { "REPORT LUNS alloc 15", "A0 000000 0000 0000000F 0000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 6, 7 },
        { "REPORT LUNS select 3", "A0 000300 0000 00000100 0000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 2, 7 },
        { "MODE SENSE(6) saved", "1A00FF00FF00", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x39, 0x00, 2, 7 },
        { "MODE SENSE(6) page 0x19", "1A0019 00FF00", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 2, 5 },
        { "MODE SENSE(6) subpage 1", "1A000801FF00", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 3, 7 },
        { "MODE SENSE(10) all", "5A003F00000000 00FF00", ScsiStatus.Good, SenseKey.NoSense, 0, 0, -1, -1 },
        { "MODE SELECT(6) SP", "151100000000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 1, 0 },
        { "READ CAPACITY(10) LBA without PMI", "25000000000100000000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 2, 7 },
        { "SERVICE ACTION IN(16) bad action", "9E 11 0000000000000000 00000020 0000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 1, 4 },
        { "READ CAPACITY(16) alloc 0", "9E 10 0000000000000000 00000000 0000", ScsiStatus.Good, SenseKey.NoSense, 0, 0, -1, -1 },
        { "PREVENT 1", "1E0000000100", ScsiStatus.Good, SenseKey.NoSense, 0, 0, -1, -1 },
        { "PREVENT 2", "1E0000000200", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 4, 1 },
        { "START STOP UNIT eject", "1B0100000200", ScsiStatus.Good, SenseKey.NoSense, 0, 0, -1, -1 },
        { "RESERVE(10) 3rd party", "56100000000000000000", ScsiStatus.CheckCondition, SenseKey.IllegalRequest, 0x24, 0x00, 1, 4 },
        { "REQUEST SENSE", "030000001200", ScsiStatus.Good, SenseKey.NoSense, 0, 0, -1, -1 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Cdb_yields_expected_status_and_sense(string name, string cdbHex, ScsiStatus status, SenseKey key, byte asc, byte ascq, int fieldByte, int fieldBit)
    {
        var harness = new Harness();
        Result result = harness.Run(Convert.FromHexString(cdbHex.Replace(" ", "")));

        Assert.True(status == result.Status, $"{name}: expected {status}, got {result.Status} {result.Key} {result.Asc:X2}/{result.Ascq:X2}");
        if (status != ScsiStatus.CheckCondition)
        {
            Assert.Empty(result.Sense);
            return;
        }

        Assert.Equal(0x70, result.Sense[0]);
        Assert.Equal((key, asc, ascq), (result.Key, result.Asc, result.Ascq));
        if (fieldByte < 0)
        {
            Assert.False(result.Sksv, $"{name}: unexpected field pointer");
        }
        else
        {
            Assert.True(result.Sksv, $"{name}: field pointer missing");
            Assert.True(result.CommandData);
            Assert.Equal(fieldByte, result.FieldByte);
            Assert.Equal(fieldBit, result.FieldBit);
        }
    }

    [Theory]
    [InlineData("000000000000")]
    [InlineData("28000000000000000100")]
    [InlineData("1A003F00FF00")]
    [InlineData("25000000000000000000")]
    public void Commands_to_an_unmapped_lun_report_logical_unit_not_supported(string cdbHex)
    {
        Result result = new Harness().Run(Convert.FromHexString(cdbHex), lun: 7);
        result.AssertSense(SenseKey.IllegalRequest, 0x25, 0x00);
    }

    [Fact]
    public void Unknown_opcode_on_unmapped_lun_reports_logical_unit_not_supported()
    {
        new Harness().Run(Convert.FromHexString("C10000000000"), lun: 3).AssertSense(SenseKey.IllegalRequest, 0x25, 0x00);
    }
}
