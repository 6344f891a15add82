using System.Buffers.Binary;
using System.Net;
using SharpSan.Config;
using SharpSan.Scsi;

namespace SharpSan.Initiator.Tests;

/// <summary>
/// One logical unit exported by two TPGs of one target (two portals), in two ALUA target port groups:
/// the multipath device sends commands to the active/optimized path, follows a state change made with
/// SET TARGET PORT GROUPS to the newly optimized path, and moves to the other path when a session dies.
/// </summary>
public sealed class MultipathDeviceTests
{
    private const string Target = "iqn.2026-12.io.sharpsan.test:mpath";

    private static async Task<(TargetHarness Harness, int Port2)> StartAsync()
    {
        int port2 = TargetHarness.FreePort();
        var harness = await TargetHarness.StartAsync((config, port1) =>
        {
            config.Targets.Clear();
            var so = config.StorageObjects[0];
            so.AluaGroups.Add(new AluaGroupConfig { Name = "left", TgPtGpId = 1 });
            so.AluaGroups.Add(new AluaGroupConfig { Name = "right", TgPtGpId = 2, AluaAccessState = 1 });
            var t = new TargetConfig { Wwn = Target };
            foreach (var (tag, port, group) in new[] { ((ushort)1, port1, "left"), ((ushort)2, port2, "right") })
            {
                var tpg = new TpgConfig { Tag = tag, GenerateNodeAcls = true, DemoModeWriteProtect = false };
                tpg.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = port });
                tpg.Luns.Add(new LunConfig { Index = 0, StorageObject = so.Path, AluaTgPtGp = group });
                t.Tpgs.Add(tpg);
            }
            config.Targets.Add(t);
        });
        return (harness, port2);
    }

    private static Task<IscsiSession> LoginAsync(int port) =>
        IscsiSession.LoginAsync(new IPEndPoint(IPAddress.Loopback, port), Target, TargetHarness.LoginOptions(), CancellationToken.None);

    private static byte[] Pattern(int length, byte seed)
    {
        var b = new byte[length];
        for (int i = 0; i < b.Length; i++) b[i] = (byte)(seed + i * 7);
        return b;
    }

    [Fact]
    public async Task Both_paths_name_the_same_logical_unit_with_their_own_port_groups()
    {
        var (h, port2) = await StartAsync();
        await using var _ = h;
        await using var s1 = await LoginAsync(h.Port);
        await using var s2 = await LoginAsync(port2);
        var d1 = await BlockDevice.OpenAsync(s1, 0);
        var d2 = await BlockDevice.OpenAsync(s2, 0);
        Assert.NotNull(d1.Identification.LogicalUnitName);
        Assert.StartsWith("naa.", d1.Identification.LogicalUnitName);
        Assert.Equal(d1.Identification.LogicalUnitName, d2.Identification.LogicalUnitName);
        Assert.Equal((ushort)1, d1.Identification.TargetPortGroup);
        Assert.Equal((ushort)2, d2.Identification.TargetPortGroup);
        Assert.NotEqual(d1.Identification.RelativeTargetPort, d2.Identification.RelativeTargetPort);
        Assert.NotEqual(0, d1.Tpgs);

        var groups = await d2.ReportTargetPortGroupsAsync();
        Assert.Contains(groups, g => g.Id == 1 && g.State == AsymmetricAccessState.ActiveOptimized);
        Assert.Contains(groups, g => g.Id == 2 && g.State == AsymmetricAccessState.ActiveNonOptimized);
    }

    [Fact]
    public async Task Commands_take_the_optimized_path_and_follow_a_state_change()
    {
        var (h, port2) = await StartAsync();
        await using var _ = h;
        await using var s1 = await LoginAsync(h.Port);
        await using var s2 = await LoginAsync(port2);
        var mp = new MultipathDevice(await BlockDevice.OpenAsync(s1, 0));
        var right = mp.AddPath(await BlockDevice.OpenAsync(s2, 0));
        var left = mp.Paths[0];

        var data = Pattern(64 * 512, 3);
        for (int i = 0; i < 20; i++) await mp.WriteAsync((ulong)i * 64, data);
        Assert.Equal(20, left.Commands);
        Assert.Equal(0, right.Commands);
        Assert.Equal(AsymmetricAccessState.ActiveNonOptimized, right.State);

        // SET TARGET PORT GROUPS through the right path: right optimized, left standby (SPC-4 6.38).
        var list = new byte[12];
        list[4] = (byte)AsymmetricAccessState.ActiveOptimized;
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(6), 2);
        list[8] = (byte)AsymmetricAccessState.Standby;
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(10), 1);
        var cdb = new byte[12];
        cdb[0] = 0xA4;
        cdb[1] = 0x0A;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(6), (uint)list.Length);
        var r = await s2.ExecuteAsync(ScsiCommand.Write(0, cdb, list));
        Assert.True(r.IsGood, r.ToString());

        // The left path answers NOT READY (standby) or a unit attention (2A/06): either way the device
        // reads the groups again and the commands move to the right path, none failing.
        long leftBefore = left.Commands;
        var back = new byte[data.Length];
        for (int i = 0; i < 20; i++)
        {
            await mp.ReadAsync((ulong)i * 64, back);
            Assert.Equal(data, back);
        }
        Assert.Equal(AsymmetricAccessState.ActiveOptimized, right.State);
        Assert.Equal(AsymmetricAccessState.Standby, left.State);
        Assert.True(right.Commands >= 19, $"right path carried {right.Commands} of 20 reads");
        Assert.True(left.Commands - leftBefore <= 1, $"left path carried {left.Commands - leftBefore} reads after it went to standby");
    }

    [Fact]
    public async Task A_dead_session_moves_the_commands_to_the_other_path()
    {
        var (h, port2) = await StartAsync();
        await using var _ = h;
        var s1 = await LoginAsync(h.Port);
        await using var s2 = await LoginAsync(port2);
        var mp = new MultipathDevice(await BlockDevice.OpenAsync(s1, 0));
        var right = mp.AddPath(await BlockDevice.OpenAsync(s2, 0));
        var data = Pattern(8 * 512, 9);
        await mp.WriteAsync(100, data);
        Assert.Equal(0, right.Commands);

        await s1.DisposeAsync(); // the optimized path's session is gone
        await mp.WriteAsync(200, data);
        var back = new byte[data.Length];
        await mp.ReadAsync(100, back);
        Assert.Equal(data, back);
        await mp.ReadAsync(200, back);
        Assert.Equal(data, back);
        Assert.True(mp.Paths[0].Failed);
        Assert.Equal(3, right.Commands);
    }

    [Fact]
    public void Report_target_port_groups_data_parses_in_both_header_formats()
    {
        // Length-only header, two groups: 1 optimized+preferred with port 1, 2 standby with ports 2 and 3.
        byte[] data = [0, 0, 0, 28, 0x80, 0xFF, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0x02, 0xFF, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3];
        var groups = TargetPortGroupDescriptor.ParseList(data);
        Assert.Equal(2, groups.Count);
        Assert.True(groups[0].Preferred);
        Assert.Equal(AsymmetricAccessState.ActiveOptimized, groups[0].State);
        Assert.Equal([(ushort)1], groups[0].RelativeTargetPorts);
        Assert.Equal(AsymmetricAccessState.Standby, groups[1].State);
        Assert.Equal([(ushort)2, (ushort)3], groups[1].RelativeTargetPorts);

        byte[] extended = [0, 0, 0, 16, 0x10, 5, 0, 0, 0x01, 0xFF, 0, 7, 0, 0, 0, 1, 0, 0, 0, 9];
        var one = Assert.Single(TargetPortGroupDescriptor.ParseList(extended));
        Assert.Equal((ushort)7, one.Id);
        Assert.Equal(AsymmetricAccessState.ActiveNonOptimized, one.State);
        Assert.Equal([(ushort)9], one.RelativeTargetPorts);
    }
}
