using System.Net;
using SharpSan.Config;
using SharpSan.Initiator;
using SharpSan.Iscsid.Daemon;
using SharpSan.Scsi;

namespace SharpSan.Iscsid.Tests;

/// <summary>
/// Two sessions to one logical unit through two portals (two TPGs, two ALUA groups) become ONE local
/// device with a by-path link per path, as dm-multipath makes one map per WWID: I/O goes through the
/// optimized path, a path's logout leaves the device (mounted or not) on the other, and the last
/// path's logout removes it.
/// </summary>
public sealed class MultipathAttachTests
{
    private const string Target = "iqn.2026-12.io.sharpsan.test:mpath-attach";

    [FuseFact(needsLoop: true)]
    public async Task Two_paths_to_one_logical_unit_share_one_device_until_the_last_logs_out()
    {
        using var temp = new TempDirectory(prefix: "sharpsan-mpath-");
        string backing = Path.Combine(temp.Path, "lun0.img");
        int port2 = TargetHarness.FreePort();
        await using var h = await TargetHarness.StartAsync((config, port1) =>
        {
            config.Targets.Clear();
            var so = config.StorageObjects[0];
            so.AluaGroups.Add(new AluaGroupConfig { Name = "left", TgPtGpId = 1, AluaAccessState = 1 });
            so.AluaGroups.Add(new AluaGroupConfig { Name = "right", TgPtGpId = 2 });
            var t = new TargetConfig { Wwn = Target };
            foreach (var (tag, port, group) in new[] { ((ushort)1, port1, "left"), ((ushort)2, port2, "right") })
            {
                var tpg = new TpgConfig { Tag = tag, GenerateNodeAcls = true, DemoModeWriteProtect = false };
                tpg.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = port });
                tpg.Luns.Add(new LunConfig { Index = 0, StorageObject = so.Path, AluaTgPtGp = group });
                t.Tpgs.Add(tpg);
            }
            config.Targets.Add(t);
        }, setup: new TargetSetup { File = backing, Size = 32 << 20 });
        var s1 = await IscsiSession.LoginAsync(new IPEndPoint(IPAddress.Loopback, h.Port), Target, TargetHarness.LoginOptions(), CancellationToken.None);
        var s2 = await IscsiSession.LoginAsync(new IPEndPoint(IPAddress.Loopback, port2), Target, TargetHarness.LoginOptions(), CancellationToken.None);
        var log = new List<string>();
        var attacher = new FuseLunAttacher(Path.Combine(temp.Path, "run"), m => { lock (log) log.Add(m); });
        string? dev = null;
        try
        {
            dev = await attacher.AttachAsync(s1, 0, "p1", CancellationToken.None);
            Assert.Equal(dev, await attacher.AttachAsync(s2, 0, "p2", CancellationToken.None));
            string byPath = Path.Combine(temp.Path, "run", "by-path");
            Assert.Equal(dev, new FileInfo(Path.Combine(byPath, $"ip-127.0.0.1:{h.Port}-iscsi-{Target}-lun-0")).LinkTarget);
            Assert.Equal(dev, new FileInfo(Path.Combine(byPath, $"ip-127.0.0.1:{port2}-iscsi-{Target}-lun-0")).LinkTarget);
            var mp = Assert.Single(attacher.MultipathDevices).Value;
            Assert.Equal(2, mp.Paths.Count);

            // A write through the local device reaches the backing file through the optimized (right) path
            // (the left one carried the partition scan while it was the only path).
            long leftBefore = mp.Paths[0].Commands;
            var data = new byte[4096];
            Random.Shared.NextBytes(data);
            await WriteDirectAsync(dev, 1 << 20, data);
            Assert.Equal(AsymmetricAccessState.ActiveOptimized, mp.Paths[1].State);
            Assert.True(mp.Paths[1].Commands > 0);
            Assert.Equal(leftBefore, mp.Paths[0].Commands);
            Assert.Equal(data, ReadFile(backing, 1 << 20, data.Length));

            // The optimized path logs out: the device stays, served by the other path.
            Assert.Null(attacher.InUse(dev, s2));
            await attacher.DetachAsync(dev, s2, CancellationToken.None);
            await s2.LogoutAsync(CancellationToken.None);
            Assert.False(File.Exists(Path.Combine(byPath, $"ip-127.0.0.1:{port2}-iscsi-{Target}-lun-0")));
            Random.Shared.NextBytes(data);
            await WriteDirectAsync(dev, 2 << 20, data);
            Assert.Equal(data, ReadFile(backing, 2 << 20, data.Length));
            Assert.True(mp.Paths.Single().Commands > 0);

            await attacher.DetachAsync(dev, s1, CancellationToken.None);
            dev = null;
            Assert.Empty(attacher.MultipathDevices);
            Assert.Empty(Directory.EnumerateFileSystemEntries(byPath));
        }
        finally
        {
            if (dev is not null) await attacher.DetachAsync(dev, CancellationToken.None);
            await s1.DisposeAsync();
            await s2.DisposeAsync();
        }
    }

    private static async Task WriteDirectAsync(string device, long offset, byte[] data)
    {
        // O_DIRECT|O_SYNC: the write reaches the LUN before this returns, not the page cache.
        using var handle = File.OpenHandle(device, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, FileOptions.WriteThrough);
        await RandomAccess.WriteAsync(handle, data, offset);
        RandomAccess.FlushToDisk(handle);
    }

    private static byte[] ReadFile(string path, long offset, int length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var b = new byte[length];
        RandomAccess.Read(handle, b, offset);
        return b;
    }
}
