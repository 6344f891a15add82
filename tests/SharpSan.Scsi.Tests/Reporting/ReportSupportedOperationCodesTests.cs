using System.Buffers.Binary;
using SharpSan.Scsi.Reporting;
using SharpSan.Scsi.Tests.Devices.Mmc;

namespace SharpSan.Scsi.Tests.Reporting;

/// <summary>REPORT SUPPORTED OPERATION CODES (SPC-4 6.35) as libiscsi's ReportSupportedOpcodes and DpoFua tests read it.</summary>
public sealed class ReportSupportedOperationCodesTests
{
    private static byte[] Rsoc(int options, int opcode = 0, int serviceAction = 0, bool rctd = false, uint allocation = 65535) =>
        Harness.Cdb(0xA3, 0x0C, (rctd ? 0x80 : 0) | options, opcode, serviceAction >> 8, serviceAction & 0xFF,
            (int)(allocation >> 24), (int)(allocation >> 16) & 0xFF, (int)(allocation >> 8) & 0xFF, (int)allocation & 0xFF, 0, 0);

    [Fact]
    public void All_commands_lists_every_row_of_the_command_set_with_servactv()
    {
        var harness = new ThinMemoryBackstore().Harness();
        Result result = harness.Run(Rsoc(0));
        result.AssertGood();
        byte[] data = result.Data;
        Assert.Equal(data.Length - 4, (int)BinaryPrimitives.ReadUInt32BigEndian(data));
        IReadOnlyList<CommandDescriptor> rows = CommandTable.Block.All.Where(r => r.CdbLength <= 16).ToList();
        Assert.Equal(rows.Count * 8, data.Length - 4);
        for (int i = 0; i < rows.Count; i++)
        {
            ReadOnlySpan<byte> d = data.AsSpan(4 + (i * 8), 8);
            bool servactv = rows[i].ServiceAction != CommandDescriptor.NoServiceAction;
            Assert.Equal((byte)rows[i].Opcode, d[0]);
            Assert.Equal(servactv ? rows[i].ServiceAction : 0, BinaryPrimitives.ReadUInt16BigEndian(d[2..]));
            Assert.Equal(servactv ? 0x01 : 0x00, d[5]);
            Assert.Equal(rows[i].CdbLength, BinaryPrimitives.ReadUInt16BigEndian(d[6..]));
        }

        Assert.Contains(rows, r => r.Opcode == ScsiOpcode.MaintenanceIn && r.ServiceAction == ReportSupportedOperationCodesCommand.ServiceAction);
    }

    [Fact]
    public void Rctd_adds_a_command_timeouts_descriptor_to_every_command()
    {
        var harness = new ThinMemoryBackstore().Harness();
        byte[] data = harness.Run(Rsoc(0, rctd: true)).Data;
        int count = CommandTable.Block.All.Count(r => r.CdbLength <= 16);
        Assert.Equal(4 + (count * 20), data.Length);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> d = data.AsSpan(4 + (i * 20), 20);
            Assert.Equal(0x02, d[5] & 0x02);
            Assert.Equal(0x0A, BinaryPrimitives.ReadUInt16BigEndian(d[8..]));
        }
    }

    [Fact]
    public void One_command_reports_the_usage_data_of_every_row()
    {
        var harness = new ThinMemoryBackstore().Harness();
        foreach (CommandDescriptor row in CommandTable.Block.All)
        {
            bool servactv = row.ServiceAction != CommandDescriptor.NoServiceAction;
            Result result = harness.Run(Rsoc(servactv ? 2 : 1, (byte)row.Opcode, servactv ? row.ServiceAction : 0));
            result.AssertGood();
            byte[] data = result.Data;
            Assert.Equal(0x03, data[1] & 0x07); // supported in conformance with a standard
            Assert.Equal(row.CdbLength, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(2)));
            Assert.Equal(CdbUsageData.Find(PeripheralDeviceType.DirectAccessBlock, row.Opcode, row.ServiceAction), data[4..]);

            // libiscsi OneCommand: 001b fails for opcodes with service actions, 010b for those without.
            harness.Run(Rsoc(servactv ? 1 : 2, (byte)row.Opcode, servactv ? row.ServiceAction : 0)).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        }
    }

    [Fact]
    public void Read10_usage_data_has_dpo_and_fua_as_mode_sense_reports_dpofua()
    {
        var harness = new Harness();
        byte[] modeSense = harness.Run(Harness.Cdb(0x1A, 0, 0x3F, 0, 0xFF, 0)).Data;
        Assert.Equal(0x10, modeSense[2] & 0x10);
        byte[] usage = harness.Run(Rsoc(1, 0x28)).Data;
        Assert.Equal(0x18, usage[4 + 1] & 0x18);
        Assert.Equal(0x10, harness.Run(Rsoc(1, 0x2F)).Data[4 + 1] & 0x10); // VERIFY(10) DPO
    }

    [Fact]
    public void Unsupported_commands_are_reported_as_not_supported()
    {
        var harness = new Harness();
        byte[] data = harness.Run(Rsoc(1, 0xC1)).Data;
        Assert.Equal(4, data.Length);
        Assert.Equal(0x01, data[1] & 0x07);
        Assert.Equal(0, BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(2)));

        // A service action the opcode does not have; 011b with the same.
        Assert.Equal(0x01, harness.Run(Rsoc(2, 0xA3, 0x1E)).Data[1] & 0x07);
        Assert.Equal(0x01, harness.Run(Rsoc(3, 0xA3, 0x1E)).Data[1] & 0x07);
        Assert.Equal(0x01, harness.Run(Rsoc(3, 0xA3, 0x100)).Data[1] & 0x07);
    }

    [Fact]
    public void Option_011b_takes_the_service_action_only_where_there_are_service_actions()
    {
        var harness = new Harness();
        Assert.Equal(0x03, harness.Run(Rsoc(3, 0x28, 0x05)).Data[1] & 0x07);
        byte[] data = harness.Run(Rsoc(3, 0x9E, 0x10, rctd: true)).Data;
        Assert.Equal(0x83, data[1]);
        Assert.Equal(4 + 16 + 12, data.Length);
        Assert.Equal(0x9E, data[4]);
        Assert.Equal(0x10, data[5] & 0x1F);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    public void Reserved_reporting_options_are_refused(int options)
    {
        Result result = new Harness().Run(Rsoc(options));
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.Equal((2, 2), (result.FieldByte, result.FieldBit));
    }

    [Fact]
    public void Data_is_truncated_to_the_allocation_length()
    {
        Result result = new Harness().Run(Rsoc(0, allocation: 10));
        result.AssertGood();
        Assert.Equal(10, result.Data.Length);
    }

    [Fact]
    public void A_cd_drive_reports_its_own_command_set_usage()
    {
        var drive = new CdDrive(CdDrive.Image());
        drive.Harness.Run(Rsoc(0)).AssertSense(SenseKey.IllegalRequest, 0x20, 0x00); // not in MMC's set
        Assert.NotNull(CdbUsageData.Find(PeripheralDeviceType.CdDvd, ScsiOpcode.PreventAllowMediumRemoval, -1));
        Assert.Equal(0x03, CdbUsageData.Find(PeripheralDeviceType.CdDvd, ScsiOpcode.PreventAllowMediumRemoval, -1)![4]);
        Assert.Equal(0x01, CdbUsageData.Find(PeripheralDeviceType.DirectAccessBlock, ScsiOpcode.PreventAllowMediumRemoval, -1)![4]);
    }

    /// <summary>A fully provisioned unit does not serve UNMAP (LBPU=0): it is not listed, and asked for
    /// alone it is "not supported", as the command itself answers INVALID COMMAND OPERATION CODE.</summary>
    [Fact]
    public void A_command_the_unit_does_not_serve_is_not_reported()
    {
        var harness = new Harness();
        Result all = harness.Run(Rsoc(0));
        all.AssertGood();
        for (int offset = 4; offset < all.Data.Length; offset += 8)
        {
            Assert.NotEqual((byte)ScsiOpcode.Unmap, all.Data[offset]);
        }

        Result one = harness.Run(Rsoc(1, opcode: (byte)ScsiOpcode.Unmap));
        one.AssertGood();
        Assert.Equal(0x01, one.Data[1] & 0x07);
        harness.Run([(byte)ScsiOpcode.Unmap, 0, 0, 0, 0, 0, 0, 0, 24, 0], new byte[24]).AssertSense(SenseKey.IllegalRequest, 0x20, 0x00);
    }
}
