using System.Buffers.Binary;
using System.Text;

namespace SharpSan.Scsi.Tests.Devices.Mmc;

/// <summary>The bytes the MMC commands return, field by field, for a 600-sector CD and a DVD-sized image.</summary>
public sealed class MmcResponseTests
{
    private static byte[] Good(CdDrive drive, string cdb)
    {
        Result result = drive.Run(cdb);
        result.AssertGood();
        return result.Data;
    }

    [Fact]
    public void Inquiry_describes_a_removable_mmc_drive()
    {
        byte[] d = Good(new CdDrive(CdDrive.Image()), "12 00 00 00 60 00");
        Assert.Equal(0x05, d[0]);          // CD/DVD device
        Assert.Equal(0x80, d[1]);          // RMB
        Assert.Equal(0x00, d[5] & 0x30);   // TPGS 00b: no ALUA on a drive
        Assert.Equal("iso1            ", Encoding.ASCII.GetString(d, 16, 16));
        Assert.Equal(0x04E0, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(62))); // MMC-6
    }

    [Fact]
    public void Vpd_pages_are_the_three_spc_ones()
    {
        Assert.Equal(CdDrive.Hex("05 00 0003 00 80 83"), Good(new CdDrive(CdDrive.Image()), "12 01 00 00 40 00"));
    }

    // profile (medium), RT, start feature: the feature codes returned
    public static TheoryData<string, int, int, ushort, ushort[]> Configurations => new()
    {
        { "cd", 0, 0, 0x0008, [0x0000, 0x0001, 0x0002, 0x0003, 0x0010, 0x001E, 0x001F, 0x0100, 0x0105] },
        { "cd", 1, 0, 0x0008, [0x0000, 0x0001, 0x0002, 0x0003, 0x0010, 0x001E, 0x0100, 0x0105] },
        { "dvd", 1, 0, 0x0010, [0x0000, 0x0001, 0x0002, 0x0003, 0x0010, 0x001F, 0x0100, 0x0105] },
        { "none", 1, 0, 0x0000, [0x0000, 0x0001, 0x0002, 0x0003, 0x0100, 0x0105] },
        { "cd", 2, 3, 0x0008, [0x0003] },
        { "cd", 2, 4, 0x0008, [] },
        { "cd", 0, 0x1F, 0x0008, [0x001F, 0x0100, 0x0105] },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Get_configuration_lists_features_by_rt_and_start(string medium, int rt, int start, ushort profile, ushort[] features)
    {
        var drive = new CdDrive(medium switch { "cd" => CdDrive.Image(), "dvd" => CdDrive.DvdImage(), _ => null });
        byte[] d = Good(drive, $"46 {rt:X2} {start:X4} 00 00 00 0100 00");
        Assert.Equal(d.Length - 4, (int)BinaryPrimitives.ReadUInt32BigEndian(d));
        Assert.Equal(profile, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(6)));
        var codes = new List<ushort>();
        for (int offset = 8; offset < d.Length; offset += 4 + d[offset + 3])
        {
            codes.Add(BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(offset)));
        }

        Assert.Equal(features, codes);
    }

    [Fact]
    public void Profile_list_and_removable_medium_features_describe_a_tray_drive()
    {
        byte[] d = Good(new CdDrive(CdDrive.Image()), "46 02 0000 00 00 00 0100 00");
        // Profile List: persistent and current, DVD-ROM (not current), CD-ROM (current).
        Assert.Equal(CdDrive.Hex("0000 03 08 0010 00 00 0008 01 00"), d.AsSpan(8).ToArray());
        d = Good(new CdDrive(CdDrive.Image()), "46 02 0003 00 00 00 0100 00");
        Assert.Equal(CdDrive.Hex("0003 0B 04 39 000000"), d.AsSpan(8).ToArray());
    }

    // format and MSF, expected data
    public static TheoryData<string, string> Tocs => new()
    {
        { "43 00 00 00 00 00 00 0100 00", "0012 01 01  00 14 01 00 00000000  00 14 AA 00 00000258" },
        { "43 02 00 00 00 00 00 0100 00", "0012 01 01  00 14 01 00 00000200  00 14 AA 00 00000A00" },
        { "43 00 00 00 00 00 AA 0100 00", "000A 01 01  00 14 AA 00 00000258" },
        { "43 00 01 00 00 00 00 0100 00", "000A 01 01  00 14 01 00 00000000" },
        { "43 02 01 00 00 00 00 0100 00", "000A 01 01  00 14 01 00 00000200" },
        { "43 00 02 00 00 00 01 0100 00", "002E 01 01  01 14 00 A0 000000 00 01 00 00  01 14 00 A1 000000 00 01 00 00  01 14 00 A2 000000 00 00 0A 00  01 14 00 01 000000 00 00 02 00" },
    };

    [Theory]
    [MemberData(nameof(Tocs))]
    public void Read_toc_describes_one_data_track(string cdb, string expected)
    {
        Assert.Equal(CdDrive.Hex(expected), Good(new CdDrive(CdDrive.Image(600)), cdb));
    }

    [Fact]
    public void A_dvd_has_a_formatted_toc_but_no_full_toc()
    {
        var drive = new CdDrive(CdDrive.DvdImage());
        byte[] toc = Good(drive, "43 02 00 00 00 00 AA 0100 00");
        Assert.Equal(CdDrive.Hex("000A 01 01 00 14 AA 00 00 FF 3B 4A"), toc); // MSF cannot go past 255:59:74
        drive.Run("43 00 02 00 00 00 00 0100 00").AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public void Disc_information_describes_a_finalized_single_session_disc()
    {
        byte[] d = Good(new CdDrive(CdDrive.Image()), "51 00 00 00 00 00 00 0100 00");
        Assert.Equal(CdDrive.Hex("0020 0E 01 01 01 01 20 00 000000 00000000 FFFFFFFF FFFFFFFF 0000000000000000 00 00"), d);
    }

    [Fact]
    public void Track_information_covers_the_whole_image()
    {
        byte[] d = Good(new CdDrive(CdDrive.Image(600)), "52 00 00000100 00 0100 00");
        Assert.Equal(48, d.Length);
        Assert.Equal(CdDrive.Hex("002E 01 01 00 04 01 00 00000000 00000000 00000000 00000000 00000258"), d.AsSpan(0, 28).ToArray());
    }

    [Fact]
    public void Mode_sense_has_no_block_descriptor_and_the_capabilities_page()
    {
        var drive = new CdDrive(CdDrive.Image());
        byte[] d = Good(drive, "5A 00 2A 00 00 00 00 00 FF 00");
        Assert.Equal(CdDrive.Hex("001C 00 00 00 00 0000"), d.AsSpan(0, 8).ToArray()); // no WP, no descriptors
        Assert.Equal(CdDrive.Hex("2A 14 0B 00 40 00 29 00 2260 0000 0800 2260"), d.AsSpan(8, 16).ToArray());

        drive.Run("1E 00 00 00 01 00").AssertGood();
        d = Good(drive, "1A 00 2A 00 FF 00");
        Assert.Equal(0x2B, d[4 + 6]); // LOCK STATE once prevented
        Assert.Equal(d.Length - 1, d[0]);
        Assert.Equal(0, d[3]);        // no block descriptor in MODE SENSE(6) either
    }

    [Fact]
    public void Mechanism_status_reports_the_tray()
    {
        Assert.Equal(CdDrive.Hex("00 00 000000 01 0000"), Good(new CdDrive(CdDrive.Image()), "BD 00 00 00 00 00 00 00 0008 00 00"));
        Assert.Equal(CdDrive.Hex("00 10 000000 01 0000"), Good(new CdDrive(null), "BD 00 00 00 00 00 00 00 0008 00 00"));
    }

    [Fact]
    public void Dvd_structure_describes_a_single_layer_dvd_rom()
    {
        var drive = new CdDrive(CdDrive.DvdImage());
        byte[] d = Good(drive, "AD 00 00000000 00 00 0900 00 00");
        Assert.Equal(2052, d.Length);
        uint end = 0x030000 + (uint)CdDrive.DvdImage().BlockCount - 1;
        Assert.Equal(CdDrive.Hex($"0802 0000 01 0F 01 00 00030000 {end:X8} 00000000"), d.AsSpan(0, 20).ToArray());
        Assert.Equal(CdDrive.Hex("000E 0000 00 40 0804 01 40 0008 04 40 0804"), Good(drive, "AD 00 00000000 00 FF 0100 00 00"));
        drive.Run("AD 00 00000000 01 00 0900 00 00").AssertSense(SenseKey.IllegalRequest, 0x24, 0x00); // layer 1
    }
}
