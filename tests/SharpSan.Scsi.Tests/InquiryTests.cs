using System.Buffers.Binary;
using System.Text;

namespace SharpSan.Scsi.Tests;

public class InquiryTests
{
    private static byte[] Inquiry(bool evpd, byte page, ushort allocation) =>
        Harness.Cdb(0x12, evpd ? 1 : 0, page, allocation >> 8, allocation & 0xFF, 0);

    [Fact]
    public void Standard_inquiry_data_describes_an_spc4_disk()
    {
        Result result = new Harness().Run(Inquiry(false, 0, 255));
        result.AssertGood();
        byte[] d = result.Data;

        Assert.Equal(96, d.Length);
        Assert.Equal(0x00, d[0]);          // qualifier 0, direct access
        Assert.Equal(0x00, d[1]);          // not removable
        Assert.Equal(0x06, d[2]);          // SPC-4
        Assert.Equal(0x12, d[3]);          // HISUP, format 2
        Assert.Equal(d.Length - 5, d[4]);  // additional length
        Assert.Equal(0x30, d[5] & 0x30);   // TPGS = 11b: LIO's default group, implicit and explicit
        Assert.Equal(0x02, d[7] & 0x02);   // CMDQUE
        Assert.Equal("SHARPSAN", Encoding.ASCII.GetString(d, 8, 8));
        Assert.Equal("mem0            ", Encoding.ASCII.GetString(d, 16, 16));
        Assert.Equal("1.0 ", Encoding.ASCII.GetString(d, 32, 4));
        Assert.Equal(0x0460, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(60)));
        Assert.Equal(0x04C0, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(62)));
    }

    [Fact]
    public void Data_is_truncated_to_the_allocation_length()
    {
        Result result = new Harness().Run(Inquiry(false, 0, 5));
        result.AssertGood();
        Assert.Equal(5, result.Data.Length);
        Assert.Equal(0x06, result.Data[2]);

        Result none = new Harness().Run(Inquiry(false, 0, 0));
        none.AssertGood();
        Assert.Empty(none.Data);
    }

    [Fact]
    public void Unmapped_lun_reports_qualifier_011b_without_error()
    {
        Result result = new Harness().Run(Inquiry(false, 0, 96), lun: 9);
        result.AssertGood();
        Assert.Equal(0x7F, result.Data[0]);
        Assert.Equal(0x06, result.Data[2]);
    }

    [Fact]
    public void Supported_vpd_pages_are_listed_in_ascending_order()
    {
        Result result = new Harness().Run(Inquiry(true, 0x00, 255));
        result.AssertGood();
        Assert.Equal(new byte[] { 0x00, 0x00, 0x00, 0x07, 0x00, 0x80, 0x83, 0x8F, 0xB0, 0xB1, 0xB2 }, result.Data);
    }

    [Fact]
    public void Unit_serial_number_is_the_wwn()
    {
        Result result = new Harness().Run(Inquiry(true, 0x80, 255));
        result.AssertGood();
        Assert.Equal(0x80, result.Data[1]);
        string serial = Encoding.ASCII.GetString(result.Data, 4, result.Data[3]);
        Assert.Equal("8c5a2f1e-0b7d-4c3a-9e21-5d7f6a1b2c3d", serial);
    }

    [Fact]
    public void Device_identification_carries_naa_vendor_port_group_and_name_designators()
    {
        Result result = new Harness().Run(Inquiry(true, 0x83, 512));
        result.AssertGood();
        byte[] d = result.Data;
        Assert.Equal(d.Length - 4, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(2)));

        // NAA 6, OUI 00-14-05, then the wwn's hex digits 8c5a2f1e0b7d4c3a9e215d7f6...
        Assert.Equal(new byte[] { 0x01, 0x03, 0x00, 0x10 }, d[4..8]);
        Assert.Equal(Convert.FromHexString("60014058C5A2F1E0B7D4C3A9E215D7F6"), d[8..24]);

        // T10 vendor id: "SHARPSAN" + wwn
        Assert.Equal(0x02, d[24]);
        Assert.Equal(0x01, d[25]);
        int t10Length = d[27];
        Assert.Equal("SHARPSAN8c5a2f1e-0b7d-4c3a-9e21-5d7f6a1b2c3d", Encoding.ASCII.GetString(d, 28, t10Length));

        int offset = 28 + t10Length;
        Assert.Equal(new byte[] { 0x51, 0x94, 0x00, 0x04, 0x00, 0x00, 0x00, 0x01 }, d[offset..(offset + 8)]); // relative port 1
        offset += 8;
        Assert.Equal(new byte[] { 0x51, 0x95, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00 }, d[offset..(offset + 8)]); // TPG 0
        offset += 8;
        Assert.Equal(0x53, d[offset]);
        Assert.Equal(0x98, d[offset + 1]);
        int nameLength = d[offset + 3];
        Assert.Equal(0, nameLength % 4);
        string name = Encoding.ASCII.GetString(d, offset + 4, nameLength).TrimEnd('\0');
        Assert.Equal(Harness.NexusA.TargetPortName, name);
        Assert.Equal(d.Length, offset + 4 + nameLength);
    }

    [Fact]
    public void Block_limits_report_transfer_limits_and_no_unmap()
    {
        Result result = new Harness().Run(Inquiry(true, 0xB0, 255));
        result.AssertGood();
        byte[] d = result.Data;
        Assert.Equal(0x3C, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(2)));
        Assert.Equal(64, d.Length);
        Assert.Equal(8u * 1024 * 1024 / 512, BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(8)));
        Assert.Equal(1024u * 1024 / 512, BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(12)));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(20))); // max unmap LBA count
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(24))); // max unmap descriptors
        Assert.Equal(0xFFFFul, BinaryPrimitives.ReadUInt64BigEndian(d.AsSpan(36))); // max write same: WRITE SAME works on any disk
    }

    [Fact]
    public void Block_device_characteristics_report_non_rotating_medium()
    {
        Result result = new Harness().Run(Inquiry(true, 0xB1, 255));
        result.AssertGood();
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(result.Data.AsSpan(4)));
    }

    [Fact]
    public void Logical_block_provisioning_reports_no_unmap()
    {
        Result result = new Harness().Run(Inquiry(true, 0xB2, 255));
        result.AssertGood();
        Assert.Equal(8, result.Data.Length);
        Assert.Equal(0, result.Data[5] & 0xE0); // LBPU, LBPWS, LBPWS10
        Assert.Equal(0, result.Data[6] & 0x07); // provisioning type
    }

    [Fact]
    public void Transport_codes_come_from_the_nexus_not_the_engine()
    {
        // A SAS port (protocol identifier 6h, SPC-4 7.6.1; SAS-2 version descriptor 0C20h): the
        // engine writes whatever the fabric says, so another transport needs no change in Scsi.
        var sas = new ScsiTransport(ProtocolIdentifier.Sas, 0x0C20, "SAS");
        var nexus = new ItNexus("0x5000c50012345678", "0x5000c500abcdef01", 2, sas);
        var harness = new Harness();

        byte[] standard = harness.Run(Inquiry(false, 0, 96), nexus: nexus).Data;
        Assert.Equal(0x0C20, BinaryPrimitives.ReadUInt16BigEndian(standard.AsSpan(64)));

        byte[] d = harness.Run(Inquiry(true, 0x83, 512), nexus: nexus).Data;
        int offset = 28 + d[27];
        Assert.Equal(new byte[] { 0x61, 0x94, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02 }, d[offset..(offset + 8)]);
        Assert.Equal(0x61, d[offset + 8]);
        Assert.Equal(0x63, d[offset + 16]);
    }
}
