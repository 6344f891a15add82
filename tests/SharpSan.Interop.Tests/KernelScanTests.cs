using SharpSan.Protocol;

namespace SharpSan.Interop.Tests;

/// <summary>
/// The commands the Linux kernel initiator (6.1, sd + scsi_dh_alua) sends when it scans a new LUN,
/// in the order and with the allocation lengths of ../shared/captures/kernel-login-chap-digests.pcap,
/// replayed with header and data digests on. Each must get the answer sd can use.
/// </summary>
[Collection("target")]
public sealed class KernelScanTests
{
    private readonly TargetFixture _f;

    public KernelScanTests(TargetFixture fixture) => _f = fixture;

    public static IEnumerable<object[]> Scan() => new[]
    {
        new object[] { "120000002400", 36, "R", "good" },          // INQUIRY standard, 36 bytes
        new object[] { "120000004200", 66, "R", "good" },
        new object[] { "120100000400", 4, "R", "good" },           // VPD 0x00 header, then the list
        new object[] { "120100000a00", 10, "R", "good" },
        new object[] { "120100002400", 36, "R", "good" },
        new object[] { "120180000400", 4, "R", "good" },           // unit serial number
        new object[] { "120180002800", 40, "R", "good" },
        new object[] { "120183000400", 4, "R", "good" },           // device identification
        new object[] { "120183004c00", 76, "R", "good" },
        new object[] { "1201b0000400", 4, "R", "good" },           // block limits
        new object[] { "1201b0004000", 64, "R", "good" },
        new object[] { "1201b1000400", 4, "R", "good" },           // block device characteristics
        new object[] { "1201b1004400", 68, "R", "good" },
        new object[] { "1201b2000400", 4, "R", "good" },           // logical block provisioning
        new object[] { "1201b2000800", 8, "R", "good" },
        new object[] { "a00000000000000010000000", 4096, "R", "good" }, // REPORT LUNS
        new object[] { "000000000000", 0, "-", "good" },           // TEST UNIT READY
        new object[] { "9e100000000000000000000000200000", 32, "R", "good" }, // READ CAPACITY(16)
        new object[] { "1a003f000400", 4, "R", "good" },           // MODE SENSE(6) all pages, header only
        new object[] { "1a0008000400", 4, "R", "good" },           // caching page
        new object[] { "1a0008002000", 32, "R", "good" },
        new object[] { "a30c011200000000000a0000", 10, "R", "good" },          // REPORT SUPPORTED OPCODES (MAINTENANCE IN, SA 0x0C), one command
        new object[] { "35000000000000000000", 0, "-", "good" },   // SYNCHRONIZE CACHE(10)
        new object[] { "930000000000000ff780000000800000", 512, "W", "lba-out-of-range" }, // WRITE SAME(16) zeroing past this LUN's end (the capture's disk was larger)
    };

    [Theory]
    [MemberData(nameof(Scan))]
    public void Linux_scan_command_is_answered(string cdbHex, int edtl, string direction, string expect)
    {
        using var c = new RawInitiator(_f.Port);
        Assert.Equal(0, c.Login("iqn.2024-01.org.kinit:host1", TargetFixture.Open, digests: true));
        var cdb = Convert.FromHexString(cdbHex);
        var (data, final) = c.Execute(cdb, (uint)edtl, direction == "R", direction == "W", direction == "W" ? new byte[edtl] : null, lun: 1);
        if (expect == "good")
        {
            Assert.True(final.Header[3] == 0, $"CHECK CONDITION for {cdbHex}: {Convert.ToHexString(final.Data)}");
            if (cdb[0] == 0x12 && (cdb[1] & 1) == 1 && edtl >= 4)
            {
                Assert.Equal(cdb[2], data[1]); // the page asked for
                Assert.True((data[2] << 8 | data[3]) > 0);
            }
            return;
        }
        Assert.Equal(Opcode.ScsiResponse, final.Opcode);
        Assert.Equal(0x02, final.Header[3]);
        var sense = final.Data.AsSpan(2);
        Assert.Equal(0x05, sense[2] & 0x0F); // ILLEGAL REQUEST
        // INVALID COMMAND OPERATION CODE, INVALID FIELD IN CDB for an unsupported service action of
        // a supported operation code (MAINTENANCE IN serves REPORT TARGET PORT GROUPS only), or LOGICAL
        // BLOCK ADDRESS OUT OF RANGE.
        Assert.Equal(expect switch { "invalid-opcode" => 0x20, "lba-out-of-range" => 0x21, _ => 0x24 }, sense[12]);
    }
}
