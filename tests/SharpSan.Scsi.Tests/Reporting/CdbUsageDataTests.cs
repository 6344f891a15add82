using SharpSan.Scsi.Devices.Controller;
using SharpSan.Scsi.Devices.Mmc;
using SharpSan.Scsi.Reporting;
using SharpSan.Scsi.Tests.Devices.Mmc;

namespace SharpSan.Scsi.Tests.Reporting;

/// <summary>The CDB USAGE DATA table against every command set and against what the device server accepts.</summary>
public sealed class CdbUsageDataTests
{
    private static readonly (string Name, PeripheralDeviceType Type, CommandSet Set)[] Sets =
    [
        ("disk", PeripheralDeviceType.DirectAccessBlock, CommandTable.Block),
        ("cd", PeripheralDeviceType.CdDvd, MmcCommandTable.Commands),
        ("controller", PeripheralDeviceType.StorageArrayController, ControllerCommandTable.Commands),
    ];

    [Fact]
    public void Every_row_of_every_command_set_has_usage_data()
    {
        var missing = new List<string>();
        foreach ((string name, PeripheralDeviceType type, CommandSet set) in Sets)
        {
            foreach (CommandDescriptor row in set.All)
            {
                byte[]? usage = CdbUsageData.Find(type, row.Opcode, row.ServiceAction);
                if (usage is null)
                {
                    missing.Add($"{name} {row}");
                    continue;
                }

                Assert.True(usage.Length == row.CdbLength, $"{name} {row}: usage data of {usage.Length} bytes for a {row.CdbLength}-byte CDB");
                Assert.Equal((byte)row.Opcode, usage[0]);
                if (row.IsVariableLength)
                {
                    // SPC-4 4.2.3: ADDITIONAL CDB LENGTH in byte 7, SERVICE ACTION in bytes 8-9.
                    Assert.Equal(row.CdbLength - 8, usage[7]);
                    Assert.True(((usage[8] << 8) | usage[9]) == row.ServiceAction, $"{name} {row}: bytes 8-9 must hold the service action");
                }
                else if (row.ServiceAction != CommandDescriptor.NoServiceAction)
                {
                    Assert.True((usage[1] & 0x1F) == row.ServiceAction, $"{name} {row}: byte 1 must hold the service action");
                }
            }
        }

        Assert.True(missing.Count == 0, "no CDB usage data for: " + string.Join(", ", missing));
    }

    /// <summary>The commands of issue #13 that other families add: their usage data is here before their rows.</summary>
    [Theory]
    [InlineData(0x89, -1, 16)] // COMPARE AND WRITE
    [InlineData(0x41, -1, 10)] // WRITE SAME(10)
    [InlineData(0x93, -1, 16)] // WRITE SAME(16)
    [InlineData(0x7F, 0x000D, 32)] // WRITE SAME(32)
    [InlineData(0x42, -1, 10)] // UNMAP
    [InlineData(0x8B, -1, 16)] // ORWRITE(16)
    [InlineData(0x9C, -1, 16)] // WRITE ATOMIC(16)
    [InlineData(0x37, -1, 10)] // READ DEFECT DATA(10)
    [InlineData(0xB7, -1, 12)] // READ DEFECT DATA(12)
    [InlineData(0x48, 0x01, 10)] // SANITIZE OVERWRITE
    [InlineData(0x48, 0x02, 10)] // SANITIZE BLOCK ERASE
    [InlineData(0x48, 0x03, 10)] // SANITIZE CRYPTOGRAPHIC ERASE
    [InlineData(0x48, 0x1F, 10)] // SANITIZE EXIT FAILURE MODE
    [InlineData(0x04, -1, 6)] // FORMAT UNIT
    [InlineData(0x9E, 0x12, 16)] // GET LBA STATUS
    [InlineData(0x5E, 0x00, 10)]
    [InlineData(0x5E, 0x01, 10)]
    [InlineData(0x5E, 0x02, 10)]
    [InlineData(0x5E, 0x03, 10)]
    [InlineData(0x5F, 0x00, 10)]
    [InlineData(0x5F, 0x01, 10)]
    [InlineData(0x5F, 0x02, 10)]
    [InlineData(0x5F, 0x03, 10)]
    [InlineData(0x5F, 0x04, 10)]
    [InlineData(0x5F, 0x05, 10)]
    [InlineData(0x5F, 0x06, 10)]
    [InlineData(0x5F, 0x07, 10)]
    [InlineData(0x83, 0x00, 16)] // EXTENDED COPY(LID1)
    [InlineData(0x84, 0x00, 16)] // RECEIVE COPY RESULTS
    [InlineData(0x84, 0x03, 16)]
    [InlineData(0x84, 0x04, 16)]
    [InlineData(0xA4, 0x0A, 12)] // SET TARGET PORT GROUPS
    [InlineData(0xA4, 0x0F, 12)] // SET TIMESTAMP
    [InlineData(0xA3, 0x0F, 12)] // REPORT TIMESTAMP
    [InlineData(0xA3, 0x0D, 12)] // REPORT SUPPORTED TMF
    [InlineData(0xA3, 0x0C, 12)] // REPORT SUPPORTED OPERATION CODES
    [InlineData(0x4D, -1, 10)] // LOG SENSE
    [InlineData(0x4C, -1, 10)] // LOG SELECT
    public void Commands_of_the_other_families_have_usage_data(int opcode, int serviceAction, int cdbLength)
    {
        byte[]? usage = CdbUsageData.Find(PeripheralDeviceType.DirectAccessBlock, (ScsiOpcode)opcode, serviceAction);
        Assert.NotNull(usage);
        Assert.Equal(cdbLength, usage.Length);
        Assert.Equal(opcode, usage[0]);
        if (opcode == 0x7F)
        {
            Assert.Equal(serviceAction, (usage[8] << 8) | usage[9]);
        }
        else if (serviceAction >= 0)
        {
            Assert.Equal(serviceAction, usage[1] & 0x1F);
        }
    }

    public static TheoryData<string, int, int, int> ReservedBits()
    {
        var data = new TheoryData<string, int, int, int>();
        for (int s = 0; s < Sets.Length; s++)
        {
            foreach (CommandDescriptor row in Sets[s].Set.All)
            {
                byte[] usage = CdbUsageData.Find(Sets[s].Type, row.Opcode, row.ServiceAction) ?? [];
                for (int i = 1; i < Math.Min(usage.Length, row.CdbLength); i++)
                {
                    if (i == row.ControlByte || (row.IsVariableLength && i is >= 7 and <= 9))
                    {
                        continue; // CONTROL, ADDITIONAL CDB LENGTH and a 16-bit SERVICE ACTION: checked by Prepare
                    }

                    int allowed = usage[i] | (i == 1 && row.ServiceAction != CommandDescriptor.NoServiceAction ? 0x1F : 0);
                    for (int bit = 0; bit < 8; bit++)
                    {
                        if ((allowed & (1 << bit)) == 0)
                        {
                            data.Add($"{Sets[s].Name} {row}", s, (i << 8) | bit, ((byte)row.Opcode << 8) | (row.ServiceAction & 0xFF));
                        }
                    }
                }
            }
        }

        return data;
    }

    /// <summary>
    /// A bit outside a command's usage data, in an otherwise zero CDB, is refused with INVALID FIELD IN
    /// CDB pointing at that bit: the reported usage data is never narrower than what is accepted.
    /// </summary>
    [Theory]
    [MemberData(nameof(ReservedBits))]
    public void A_bit_outside_the_usage_data_is_refused(string command, int set, int byteAndBit, int opcodeAndServiceAction)
    {
        Harness harness = HarnessFor(Sets[set].Type);
        CommandDescriptor row = Sets[set].Set.All.First(r => ((byte)r.Opcode << 8 | (r.ServiceAction & 0xFF)) == opcodeAndServiceAction);
        var cdb = new byte[row.CdbLength];
        if (ValidBase.TryGetValue((byte)row.Opcode, out string? baseHex))
        {
            cdb = Convert.FromHexString(baseHex.Replace(" ", "", StringComparison.Ordinal));
        }

        cdb[0] = (byte)row.Opcode;
        if (row.IsVariableLength)
        {
            cdb[7] = (byte)(row.CdbLength - 8);
            cdb[8] = (byte)(row.ServiceAction >> 8);
            cdb[9] = (byte)row.ServiceAction;
        }
        else if (row.ServiceAction != CommandDescriptor.NoServiceAction)
        {
            cdb[1] = (byte)row.ServiceAction;
        }

        int index = byteAndBit >> 8;
        int bit = byteAndBit & 0xFF;
        cdb[index] |= (byte)(1 << bit);

        Result result = harness.Run(cdb, row.Flags.HasFlag(CommandFlags.MediumWrite) ? new byte[512] : null);

        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
        Assert.True(result.Sksv, $"{command}: no field pointer");
        // The parser may refuse the field first (RDPROTECT, RESERVE(6)'s obsolete bits...) and point at
        // the field rather than the bit; the byte is the same.
        Assert.Equal(index, result.FieldByte);
    }

    /// <summary>Commands whose all-zero CDB is refused for another reason: a valid CDB to set a bit in.</summary>
    private static readonly Dictionary<byte, string> ValidBase = new()
    {
        [0xA0] = "A0 00 00 00 00 00 00 00 00 10 00 00",    // REPORT LUNS: ALLOCATION LENGTH of at least 16
        [0x1A] = "1A 00 3F 00 FF 00",                      // MODE SENSE(6): all pages
        [0x5A] = "5A 00 3F 00 00 00 00 00 FF 00",          // MODE SENSE(10): all pages
        [0x4A] = "4A 01 00 00 10 00 00 00 08 00",          // GET EVENT STATUS NOTIFICATION: polled, media class
        [0x5F] = "5F 00 01 00 00 00 00 00 18 00",          // PERSISTENT RESERVE OUT: TYPE Write Exclusive, a 24-byte list
    };

    /// <summary>Fields the usage data reports are accepted: flags a host sets on a disk's commands.</summary>
    [Theory]
    [InlineData("READ(10) DPO FUA RARC FUA_NV GROUP", "28 1E 00000000 1F 0001 00")]
    [InlineData("READ(16) DPO FUA GROUP", "88 18 0000000000000000 00000001 1F 00")]
    [InlineData("READ(12) FUA_NV", "A8 02 00000000 00000001 00 00")]
    [InlineData("WRITE(10) DPO FUA FUA_NV", "2A 1A 00000000 00 0001 00")]
    [InlineData("VERIFY(16) DPO", "8F 10 0000000000000000 00000001 00 00")]
    [InlineData("SYNCHRONIZE CACHE(10) SYNC_NV IMMED", "35 06 00000000 00 0000 00")]
    [InlineData("PRE-FETCH(16) IMMED", "90 02 0000000000000000 00000001 00 00")]
    [InlineData("MODE SENSE(10) LLBAA DBD", "5A 18 3F 00 000000 00FF 00")]
    [InlineData("REQUEST SENSE DESC", "03 01 00 00 FF 00")]
    [InlineData("READ CAPACITY(16) PMI", "9E 10 0000000000000000 00000020 01 00")]
    [InlineData("START STOP UNIT IMMED START", "1B 01 00 00 01 00")]
    [InlineData("REPORT SUPPORTED OPERATION CODES RCTD", "A3 0C 80 00 0000 00001000 00 00")]
    [InlineData("REPORT SUPPORTED TMF REPD", "A3 0D 80 00 0000 00000010 00 00")]
    [InlineData("LOG SELECT PCR", "4C 02 40 00 000000 0000 00")]
    [InlineData("WRITE SAME(32) GROUP NUMBER, protection fields (ignored)", "7F 00 00000000 1F 18 000D 00 00 0000000000000000 12345678 ABCD FFFF 00000001")]
    public void Used_fields_are_accepted(string name, string cdbHex)
    {
        var harness = new Harness();
        byte[] cdb = Convert.FromHexString(cdbHex.Replace(" ", "", StringComparison.Ordinal));
        Result result = harness.Run(cdb, cdb[0] is 0x2A or 0x7F ? new byte[512] : null);
        Assert.True(result.Status == ScsiStatus.Good, $"{name}: {result.Status} {result.Key} {result.Asc:X2}/{result.Ascq:X2}");
    }

    private static Harness HarnessFor(PeripheralDeviceType type) => type switch
    {
        PeripheralDeviceType.CdDvd => new CdDrive(CdDrive.DvdImage()).Harness,
        PeripheralDeviceType.StorageArrayController => new Harness(new LogicalUnit(new ControllerBackstore("ctl"), Harness.Identity)),
        // A thin disk: every disk command is served (UNMAP only where LBPU=1).
        _ => new ThinMemoryBackstore().Harness(),
    };
}
