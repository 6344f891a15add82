using System.Text;
using SharpSan.Scsi.Devices.Controller;

namespace SharpSan.Scsi.Tests.Devices.Controller;

/// <summary>tgt's LUN 0 of target 1: a storage array controller with tgt's identity and no medium.</summary>
public sealed class ControllerTests
{
    private static Harness Controller()
    {
        var identity = new LogicalUnitIdentity("IET", "Controller", "0001", "00010000")
        {
            T10VendorDesignator = "IET     00010000",
            ProductSerialNumber = "beaf10",
        };
        var unit = new LogicalUnit(new ControllerBackstore("tgt1_lun0"), identity);
        var harness = new Harness(unit);
        harness.Map.Add(1, new LogicalUnit(new MemoryBackstore(), Harness.Identity));
        return harness;
    }

    private static byte[] Hex(string text) => Convert.FromHexString(text.Replace(" ", "", StringComparison.Ordinal));

    // name, CDB hex, good, or the sense ASC (ILLEGAL REQUEST)
    public static TheoryData<string, string, bool, byte> Cases => new()
    {
        { "TEST UNIT READY", "00 00 00 00 00 00", true, 0 },
        { "REQUEST SENSE", "03 00 00 00 12 00", true, 0 },
        { "INQUIRY", "12 00 00 00 60 00", true, 0 },
        { "REPORT LUNS", "A0 00 00 00 00 00 00 00 01 00 00 00", true, 0 },
        { "VERIFY(10), as tgt", "2F 00 00000000 00 0001 00", true, 0 },
        { "VERIFY(16), as tgt", "8F 00 0000000000000000 00000001 00 00", true, 0 },
        { "READ(10)", "28 00 00000000 00 0001 00", false, 0x20 },
        { "WRITE(10)", "2A 00 00000000 00 0001 00", false, 0x20 },
        { "READ CAPACITY(10)", "25 00 00000000 00 00 00 00", false, 0x20 },
        { "MODE SENSE(6)", "1A 00 3F 00 FF 00", false, 0x20 },
        { "START STOP UNIT", "1B 00 00 00 02 00", false, 0x20 },
        { "RESERVE(6)", "16 00 00 00 00 00", false, 0x20 },
        { "INQUIRY block limits page", "12 01 B0 00 40 00", false, 0x24 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Only_the_spc_commands_tgt_serves_are_answered(string name, string cdb, bool good, byte asc)
    {
        Result result = Controller().Run(Hex(cdb));
        if (good)
        {
            Assert.True(result.Status == ScsiStatus.Good, $"{name}: {result.Key} {result.Asc:X2}/{result.Ascq:X2}");
        }
        else
        {
            result.AssertSense(SenseKey.IllegalRequest, asc, 0x00);
        }
    }

    [Fact]
    public void Inquiry_reports_tgts_controller()
    {
        byte[] d = Controller().Run(Hex("12 00 00 00 60 00")).Data;
        Assert.Equal(0x0C, d[0]);
        Assert.Equal(0x00, d[1]);
        Assert.Equal("IET     Controller      0001", Encoding.ASCII.GetString(d, 8, 28));
        Assert.Equal(Hex("01E0"), d.AsSpan(62, 2).ToArray()); // SCC-2
    }

    [Fact]
    public void Vpd_pages_carry_tgts_scsi_id_and_serial()
    {
        Harness harness = Controller();
        Assert.Equal(Hex("0C 00 0003 00 80 83"), harness.Run(Hex("12 01 00 00 40 00")).Data);

        byte[] serial = harness.Run(Hex("12 01 80 00 40 00")).Data;
        Assert.Equal(40, serial.Length);
        Assert.Equal(new string(' ', 30) + "beaf10", Encoding.ASCII.GetString(serial, 4, 36)); // right-aligned, as tgt

        byte[] id = harness.Run(Hex("12 01 83 01 00 00")).Data;
        int t10 = 4 + 20; // after the NAA designator
        Assert.Equal(Hex("02 01 00 10"), id.AsSpan(t10, 4).ToArray());
        Assert.Equal("IET     00010000", Encoding.ASCII.GetString(id, t10 + 4, 16));
    }

    [Fact]
    public void Report_luns_lists_the_controller_with_the_other_luns()
    {
        byte[] d = Controller().Run(Hex("A0 00 00 00 00 00 00 00 01 00 00 00")).Data;
        Assert.Equal(Hex("00000010 00000000 0000000000000000 0001000000000000"), d);
    }
}
