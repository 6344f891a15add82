using System.Buffers.Binary;

namespace SharpSan.Scsi.Tests;

public class ModeTests
{
    private static byte[] ModeSense6(byte page, int pc = 0, bool dbd = false, byte allocation = 255) =>
        Harness.Cdb(0x1A, dbd ? 0x08 : 0, (pc << 6) | page, 0, allocation, 0);

    private static byte[] ModeSense10(byte page, bool llbaa = false, bool dbd = false) =>
        Harness.Cdb(0x5A, (llbaa ? 0x10 : 0) | (dbd ? 0x08 : 0), page, 0, 0, 0, 0, 1, 0, 0);

    private static byte[] ModeSelect6(int length, bool pf = true) => Harness.Cdb(0x15, pf ? 0x10 : 0, 0, 0, length, 0);

    [Fact]
    public void Mode_sense6_all_pages_layout()
    {
        Result result = new Harness().Run(ModeSense6(0x3F));
        result.AssertGood();
        byte[] d = result.Data;
        Assert.Equal(4 + 8 + 20 + 12 + 12, d.Length);
        Assert.Equal(d.Length - 1, d[0]);    // mode data length
        Assert.Equal(0x10, d[2]);            // DPOFUA, not WP
        Assert.Equal(8, d[3]);               // block descriptor length
        Assert.Equal(2048u, BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(4)));
        Assert.Equal(512, (d[9] << 16) | (d[10] << 8) | d[11]);
        Assert.Equal(new byte[] { 0x08, 0x12 }, d[12..14]);
        Assert.Equal(0x04, d[14] & 0x04);    // WCE: write cache on
        Assert.Equal(new byte[] { 0x0A, 0x0A }, d[32..34]);
        Assert.Equal(0, d[34] & 0x04);       // D_SENSE 0
        Assert.Equal(0, d[34] & 0xE0);       // TST 0
        Assert.Equal(new byte[] { 0x1C, 0x0A }, d[44..46]);
    }

    [Fact]
    public void Wce_follows_the_backstore_and_wp_follows_the_nexus_view()
    {
        var harness = new Harness(new MemoryBackstore(writeCache: false), writeProtected: true);
        Result result = harness.Run(ModeSense6(0x08, dbd: true));
        result.AssertGood();
        Assert.Equal(0x90, result.Data[2]);  // WP | DPOFUA
        Assert.Equal(0, result.Data[3]);     // DBD: no block descriptor
        Assert.Equal(0x08, result.Data[4]);
        Assert.Equal(0, result.Data[6] & 0x04);
    }

    [Fact]
    public void Mode_sense10_long_lba_block_descriptor()
    {
        Result result = new Harness().Run(ModeSense10(0x0A, llbaa: true));
        result.AssertGood();
        byte[] d = result.Data;
        Assert.Equal(8 + 16 + 12, d.Length);
        Assert.Equal(d.Length - 2, BinaryPrimitives.ReadUInt16BigEndian(d));
        Assert.Equal(0x01, d[4] & 0x01);     // LONGLBA
        Assert.Equal(16, BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(6)));
        Assert.Equal(2048ul, BinaryPrimitives.ReadUInt64BigEndian(d.AsSpan(8)));
        Assert.Equal(512u, BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(20)));
        Assert.Equal(0x0A, d[24]);
    }

    [Fact]
    public void Changeable_values_show_only_d_sense_swp_and_tas()
    {
        Result result = new Harness().Run(ModeSense6(0x3F, pc: 1, dbd: true));
        result.AssertGood();
        byte[] d = result.Data;
        Assert.Equal(0, d[6]);                  // caching byte 2: WCE not changeable
        Assert.Equal(0x04, d[4 + 20 + 2]);      // control byte 2: D_SENSE changeable
        Assert.Equal(0x08, d[4 + 20 + 4]);      // control byte 4: SWP changeable
        Assert.Equal(0x40, d[4 + 20 + 5]);      // control byte 5: TAS changeable
        int nonZero = 0;
        for (int i = 4; i < d.Length; i++)
        {
            nonZero += d[i] != 0 ? 1 : 0;
        }

        Assert.Equal(9, nonZero);               // 3 page codes + 3 page lengths + D_SENSE + SWP + TAS
    }

    [Fact]
    public void Mode_select_of_the_current_values_is_accepted()
    {
        var harness = new Harness();
        byte[] current = harness.Run(ModeSense6(0x3F)).Data;
        current[0] = 0;                         // MODE DATA LENGTH is reserved in MODE SELECT
        current[2] = 0;
        harness.Run(ModeSelect6(current.Length), current).AssertGood();
        Assert.False(harness.Unit.HasUnitAttention(Harness.NexusB));
    }

    [Fact]
    public void Mode_select_of_a_fixed_field_is_an_invalid_field_in_parameter_list()
    {
        var harness = new Harness();
        byte[] list = harness.Run(ModeSense6(0x08, dbd: true)).Data;
        list[0] = 0;
        list[2] = 0;
        list[4 + 2] ^= 0x04;                    // toggle WCE
        Result result = harness.Run(ModeSelect6(list.Length), list);
        result.AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.True(result.Sksv);
        Assert.False(result.CommandData);
        Assert.Equal(6, result.FieldByte);
        Assert.Equal(2, result.FieldBit);
    }

    [Fact]
    public void Mode_select_with_a_different_block_length_is_rejected()
    {
        var harness = new Harness();
        byte[] list = [0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0x10, 0x00];
        Result result = harness.Run(ModeSelect6(list.Length), list);
        result.AssertSense(SenseKey.IllegalRequest, 0x26, 0x00);
        Assert.Equal(9, result.FieldByte);
    }

    [Fact]
    public void Mode_select_pf0_with_data_is_an_invalid_cdb_field()
    {
        new Harness().Run(ModeSelect6(4, pf: false), new byte[4]).AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public void Mode_select_longer_than_the_expected_transfer_is_rejected()
    {
        Result result = new Harness().Run(ModeSelect6(24), new byte[24], edtl: 12);
        Assert.False(result.Prepared);
        result.AssertSense(SenseKey.IllegalRequest, 0x24, 0x00);
    }

    [Fact]
    public void Setting_d_sense_switches_to_descriptor_sense_and_raises_mode_parameters_changed_for_others()
    {
        var harness = new Harness();
        harness.Run(Harness.Cdb(0, 0, 0, 0, 0, 0), nexus: Harness.NexusB).AssertGood();   // B is known to the LU

        byte[] control = harness.Run(ModeSense6(0x0A, dbd: true)).Data;
        control[0] = 0;
        control[2] = 0;
        control[4 + 2] |= 0x04;
        harness.Run(ModeSelect6(control.Length), control).AssertGood();
        Assert.True(harness.Unit.DescriptorSense);

        Result oob = harness.Run(Harness.Read10(5000, 1));
        Assert.Equal(0x72, oob.Sense[0]);
        oob.AssertSense(SenseKey.IllegalRequest, 0x21, 0x00);

        Result ua = harness.Run(Harness.Cdb(0, 0, 0, 0, 0, 0), nexus: Harness.NexusB);
        ua.AssertSense(SenseKey.UnitAttention, 0x2A, 0x01);
        harness.Run(Harness.Cdb(0, 0, 0, 0, 0, 0), nexus: Harness.NexusB).AssertGood();
        harness.Run(Harness.Cdb(0, 0, 0, 0, 0, 0)).AssertGood();                         // no UA for the changer
    }

    [Fact]
    public void Read_capacity_10_and_16()
    {
        var harness = new Harness(new MemoryBackstore(blockCount: 0x1_0000_0010, blockSize: 4096, allocate: false));
        Result rc10 = harness.Run(Harness.Cdb(0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        rc10.AssertGood();
        Assert.Equal(0xFFFFFFFFu, BinaryPrimitives.ReadUInt32BigEndian(rc10.Data));
        Assert.Equal(4096u, BinaryPrimitives.ReadUInt32BigEndian(rc10.Data.AsSpan(4)));

        Result rc16 = harness.Run(Harness.Cdb16(0x9E, 0x10, 0, 32));
        rc16.AssertGood();
        Assert.Equal(32, rc16.Data.Length);
        Assert.Equal(0x1_0000_000Ful, BinaryPrimitives.ReadUInt64BigEndian(rc16.Data));
        Assert.Equal(4096u, BinaryPrimitives.ReadUInt32BigEndian(rc16.Data.AsSpan(8)));
        Assert.Equal(0, rc16.Data[13]);       // LBPPBE
        Assert.Equal(0, rc16.Data[14] & 0x80); // LBPME
    }
}
