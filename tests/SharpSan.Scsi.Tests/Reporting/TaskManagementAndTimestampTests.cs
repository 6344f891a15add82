using System.Buffers.Binary;
using SharpSan.Scsi.Reporting;

namespace SharpSan.Scsi.Tests.Reporting;

/// <summary>REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS (SPC-4 6.37), REPORT/SET TIMESTAMP (SPC-4 6.38, 6.45).</summary>
public sealed class TaskManagementAndTimestampTests
{
    private static byte[] Maintenance(int opcode, int serviceAction, int byte2, uint length) =>
        Harness.Cdb(opcode, serviceAction, byte2, 0, 0, 0, (int)(length >> 24), (int)(length >> 16) & 0xFF, (int)(length >> 8) & 0xFF, (int)length & 0xFF, 0, 0);

    [Fact]
    public void Supported_tmfs_are_those_the_target_completes()
    {
        var harness = new Harness();
        byte[] basic = harness.Run(Maintenance(0xA3, 0x0D, 0, 64)).Data;
        Assert.Equal(4, basic.Length);
        // ABORT TASK, ABORT TASK SET, CLEAR TASK SET, LOGICAL UNIT RESET, TARGET RESET; no CLEAR ACA, no QUERY TASK.
        Assert.Equal(0xDA, basic[0]);
        Assert.Equal(0x00, basic[1]);

        byte[] extended = harness.Run(Maintenance(0xA3, 0x0D, 0x80, 64)).Data;
        Assert.Equal(16, extended.Length);
        Assert.Equal(0xDA, extended[0]);
        Assert.Equal(0x0C, extended[3]);
        Assert.Equal(0x00, extended[4] & 0x01); // TMFTMOV: no timeouts
    }

    [Fact]
    public void Report_timestamp_runs_on_the_host_clock_until_set()
    {
        var harness = new Harness();
        long before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        byte[] data = harness.Run(Maintenance(0xA3, 0x0F, 0, 12)).Data;
        long after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.Equal(12, data.Length);
        Assert.Equal(0x0A, BinaryPrimitives.ReadUInt16BigEndian(data));
        Assert.Equal(DeviceClock.OriginOutsideStandard, data[2] & 0x07);
        long timestamp = Timestamp(data);
        Assert.InRange(timestamp, before, after);
    }

    [Fact]
    public void Set_timestamp_moves_the_clock_and_tells_the_other_nexuses()
    {
        var harness = new Harness();
        harness.Run(Harness.Cdb(0x00, 0, 0, 0, 0, 0), nexus: Harness.NexusB).AssertGood();
        const long set = 0x0000_1234_5678_9ABC;
        byte[] list = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(4), (ushort)(set >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(6), unchecked((uint)set));
        harness.Run(Maintenance(0xA4, 0x0F, 0, 12), list).AssertGood();

        byte[] data = harness.Run(Maintenance(0xA3, 0x0F, 0, 12)).Data;
        Assert.Equal(DeviceClock.OriginSetTimestamp, data[2] & 0x07);
        Assert.InRange(Timestamp(data), set, set + 5000);

        // SPC-4 6.45: TIMESTAMP CHANGED for the other I_T nexuses only.
        harness.Run(Harness.Cdb(0x00, 0, 0, 0, 0, 0), nexus: Harness.NexusB).AssertSense(SenseKey.UnitAttention, 0x2A, 0x10);
        harness.Run(Harness.Cdb(0x00, 0, 0, 0, 0, 0)).AssertGood();
    }

    [Fact]
    public void Set_timestamp_parameter_list_lengths()
    {
        var harness = new Harness();
        harness.Run(Maintenance(0xA4, 0x0F, 0, 0)).AssertGood();
        harness.Run(Maintenance(0xA4, 0x0F, 0, 6), new byte[6]).AssertSense(SenseKey.IllegalRequest, 0x1A, 0x00);
        Assert.Equal(DeviceClock.OriginOutsideStandard, harness.Run(Maintenance(0xA3, 0x0F, 0, 12)).Data[2]);
    }

    [Fact]
    public void Device_clock_saturates_to_48_bits()
    {
        var clock = new DeviceClock(() => 1000);
        clock.Set(DeviceClock.Max);
        Assert.Equal(DeviceClock.Max, clock.Read(out byte origin));
        Assert.Equal(DeviceClock.OriginSetTimestamp, origin);
    }

    private static long Timestamp(byte[] data) =>
        ((long)BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(4)) << 32) | BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(6));
}
