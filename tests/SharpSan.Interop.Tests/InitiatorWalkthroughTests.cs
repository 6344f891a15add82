using System.Diagnostics;
using System.Security.Cryptography;
using SharpSan.Config;

namespace SharpSan.Interop.Tests;

/// <summary>
/// The client side of the walkthroughs with our own tools: iscsiadm discovery and login through
/// iscsid, the LUN attached as a local block device (FUSE + loop), mkfs.ext4, mount, data written and
/// found again after logout/login, fsck clean, logout refused while mounted. Needs root, /dev/fuse,
/// loop devices and mkfs.ext4 (reported as skipped otherwise, with the reason).
/// </summary>
public sealed class InitiatorWalkthroughTests : IDisposable
{
    private const string Target = "iqn.2025-09.com.example:storage1";
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpsan-walk-").FullName;
    private readonly string _root;
    private readonly int _port = FreePort.Next();
    private TargetProcess _target;
    private readonly Process _iscsid;

    public InitiatorWalkthroughTests()
    {
        _root = Path.Combine(_dir, "iscsi");
        Directory.CreateDirectory(_root);
        var config = new SanConfig();
        config.StorageObjects.Add(new StorageObjectConfig
        {
            Plugin = "fileio", Name = "disk1", Dev = Path.Combine(_dir, "disk1.img"), Size = 512UL << 20, WriteBack = true,
            Wwn = Guid.NewGuid().ToString(),
        });
        var t = new TargetConfig { Wwn = Target };
        var tpg = new TpgConfig { Tag = 1, GenerateNodeAcls = true, DemoModeWriteProtect = false };
        tpg.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = _port });
        tpg.Luns.Add(new LunConfig { Index = 0, StorageObject = "/backstores/fileio/disk1" });
        t.Tpgs.Add(tpg);
        config.Targets.Add(t);
        _target = TargetProcess.Start(config, _dir, _port);

        var psi = new ProcessStartInfo(Bin("iscsid"), "-f") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        psi.Environment["SHARPSAN_ISCSI_ROOT"] = _root;
        _iscsid = Process.Start(psi)!;
        _iscsid.BeginErrorReadLine();
        _iscsid.BeginOutputReadLine();
        var socket = Path.Combine(_root, "iscsid.sock");
        for (int i = 0; i < 200 && !File.Exists(socket); i++) Thread.Sleep(50);
    }

    public void Dispose()
    {
        if (!_iscsid.HasExited)
        {
            Tool.Run("kill", "-TERM", _iscsid.Id.ToString());
            if (!_iscsid.WaitForExit(TimeSpan.FromSeconds(60))) _iscsid.Kill();
        }
        _iscsid.Dispose();
        _target.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Bin(string name) => Path.Combine(Repo.Root, "out", "bin", name);

    private Tool.Result Adm(params string[] args) =>
        Tool.Run("env", new[] { $"SHARPSAN_ISCSI_ROOT={_root}", Bin("iscsiadm") }.Concat(args), TimeSpan.FromMinutes(2));

    private static string? SkipReason()
        => Requirement.Root("needs root")
            ?? Requirement.DevFuse("needs /dev/fuse and loop devices")
            ?? Requirement.LoopDevices("needs /dev/fuse and loop devices")
            ?? (Tool.Exists("mkfs.ext4") ? null : "needs mkfs.ext4");

    [Fact]
    public void Seed000_client_half_against_sharpsand() => Walkthrough($"127.0.0.1:{_port}", Target, lun: 0);

    [Fact]
    public async Task Seed000_client_half_against_tgt()
    {
        Requirement.SkipUnlessMet(SkipReason() ?? (TgtdProcess.Path is null ? "tgtd not installed" : null));
        await using var tgt = await TgtdProcess.StartAsync(controlPort: 21751, size: 512L << 20); // XFS needs 300 MB
        // tgt's LUN 0 is its controller; the disk is LUN 1.
        Walkthrough($"127.0.0.1:{tgt.Port}", TgtdProcess.TargetName, lun: 1);
    }

    /// <summary>
    /// The target restarts while a writer runs on a mounted filesystem: I/O stalls, the session is
    /// reinstated, the writer goes on, and every chunk whose fsync returned is on the LUN afterwards.
    /// </summary>
    [Fact]
    public void Writer_survives_a_target_restart()
    {
        Requirement.SkipUnlessMet(SkipReason());
        var portal = $"127.0.0.1:{_port}";
        Assert.Equal(0, Adm("-m", "discovery", "-t", "st", "-p", portal).ExitCode);
        Assert.Equal(0, Adm("-m", "node", "-T", Target, "-p", portal, "-l").ExitCode);
        var link = Path.Combine(_root, "run", "by-path", $"ip-{portal}-iscsi-{Target}-lun-0");
        var disk = new FileInfo(link).LinkTarget!;
        var mnt = Path.Combine(_dir, "mnt");
        Directory.CreateDirectory(mnt);
        Assert.Equal(0, Tool.Run("mkfs.ext4", "-q", "-F", disk).ExitCode);
        Assert.Equal(0, Tool.Run("mount", disk, mnt).ExitCode);
        var written = new List<(string Name, string Sum)>();
        try
        {
            var stopWriter = new ManualResetEventSlim();
            var writer = Task.Run(() =>
            {
                var rng = new Random(7);
                for (int i = 0; !stopWriter.IsSet || i < 40; i++)
                {
                    var chunk = new byte[1 << 20];
                    rng.NextBytes(chunk);
                    var name = Path.Combine(mnt, $"chunk-{i:D4}.bin");
                    using (var fs = new FileStream(name, FileMode.CreateNew, FileAccess.Write))
                    {
                        fs.Write(chunk);
                        fs.Flush(flushToDisk: true); // fsync: acknowledged only when on the LUN
                    }
                    lock (written) written.Add((name, Convert.ToHexString(SHA256.HashData(chunk))));
                    if (i >= 200) break;
                }
            });
            while (true)
            {
                lock (written) if (written.Count >= 10) break;
                Assert.False(writer.IsCompleted, writer.Exception?.ToString());
                Thread.Sleep(20);
            }
            Assert.Equal(0, _target.Stop());
            _target.Dispose();
            _target = TargetProcess.StartWithFile(Path.Combine(_dir, "saveconfig.json"), _port);
            stopWriter.Set();
            Assert.True(writer.Wait(TimeSpan.FromMinutes(3)), "the writer did not finish after the target came back");
            Assert.True(written.Count >= 40);
            Assert.Equal(0, Tool.Run("umount", mnt).ExitCode);
            Assert.Equal(0, Tool.Run("mount", disk, mnt).ExitCode);
            foreach (var (name, sum) in written)
                Assert.Equal(sum, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(name))));
        }
        finally
        {
            Tool.Run("umount", "-l", mnt);
            Adm("-m", "node", "-T", Target, "-p", portal, "-u");
        }
    }

    /// <summary>
    /// Seed 000's client half, typed as there: discovery, login, the new disk in lsblk, fdisk making one
    /// partition, mkfs.xfs on it, mount, a 64 MiB file; logout refused while mounted; umount, logout,
    /// login again, the file intact, xfs_repair -n clean, logout.
    /// </summary>
    private void Walkthrough(string portal, string target, int lun)
    {
        Requirement.SkipUnlessMet(SkipReason());
        var disc = Adm("-m", "discovery", "-t", "st", "-p", portal);
        Assert.True(disc.ExitCode == 0, disc.ToString());
        Assert.Contains($"{portal},1 {target}", disc.Stdout);

        var login = Adm("-m", "node", "-T", target, "-p", portal, "-l");
        Assert.True(login.ExitCode == 0, login.ToString());
        var portalComma = portal.Replace(':', ',');
        Assert.Contains($"Login to [iface: default, target: {target}, portal: {portalComma}] successful.", login.Stdout);

        var link = Path.Combine(_root, "run", "by-path", $"ip-{portal}-iscsi-{target}-lun-{lun}");
        var disk = new FileInfo(link).LinkTarget!;
        Assert.StartsWith("/dev/loop", disk);
        var details = Adm("-m", "session", "-P", "3");
        Assert.Contains($"Attached scsi disk {Path.GetFileName(disk)}", details.Stdout);
        Assert.Contains("Negotiated iSCSI params:", details.Stdout);
        Assert.Contains(Path.GetFileName(disk), Tool.Run("lsblk").Stdout);

        var mnt = Path.Combine(_dir, "mnt");
        Directory.CreateDirectory(mnt);
        var data = new byte[64 << 20];
        new Random(42).NextBytes(data);
        var sum = Convert.ToHexString(SHA256.HashData(data));
        bool mounted = false;
        try
        {
            // fdisk: n(ew), p(rimary), 1, default first and last sector, w(rite).
            var fdisk = Tool.Run("sh", "-c", $"printf 'n\\np\\n1\\n\\n\\nw\\n' | fdisk {disk}");
            Assert.True(fdisk.ExitCode == 0, fdisk.ToString());
            var part = disk + "p1";
            for (int i = 0; i < 100 && !File.Exists(part); i++) Thread.Sleep(50);
            Assert.True(File.Exists(part), $"no {part} after fdisk:\n{fdisk}");
            Assert.Contains(Path.GetFileName(part), Tool.Run("lsblk", disk).Stdout);

            var mkfs = Tool.Exists("mkfs.xfs") ? Tool.Run("mkfs.xfs", "-q", "-f", part) : Tool.Run("mkfs.ext4", "-q", "-F", part);
            Assert.True(mkfs.ExitCode == 0, mkfs.ToString());
            Assert.Equal(0, Tool.Run("mount", part, mnt).ExitCode);
            mounted = true;
            File.WriteAllBytes(Path.Combine(mnt, "data.bin"), data);
            Assert.Equal(0, Tool.Run("sync").ExitCode);

            var busy = Adm("-m", "node", "-T", target, "-p", portal, "-u");
            Assert.Equal(28, busy.ExitCode); // refused while a partition is mounted

            Assert.Equal(0, Tool.Run("umount", mnt).ExitCode);
            mounted = false;
            var logout = Adm("-m", "node", "-T", target, "-p", portal, "-u");
            Assert.True(logout.ExitCode == 0, logout.ToString());
            Assert.Contains("successful.", logout.Stdout);
            Assert.Equal(21, Adm("-m", "session").ExitCode);

            Assert.Equal(0, Adm("-m", "node", "-T", target, "-p", portal, "-l").ExitCode);
            disk = new FileInfo(link).LinkTarget!;
            part = disk + "p1";
            for (int i = 0; i < 100 && !File.Exists(part); i++) Thread.Sleep(50);
            Assert.Equal(0, Tool.Run("mount", part, mnt).ExitCode);
            mounted = true;
            Assert.Equal(sum, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(mnt, "data.bin")))));
            Assert.Equal(0, Tool.Run("umount", mnt).ExitCode);
            mounted = false;
            var check = Tool.Exists("xfs_repair") ? Tool.Run("xfs_repair", "-n", part) : Tool.Run("fsck.ext4", "-fn", part);
            Assert.True(check.ExitCode == 0, check.ToString());
            Assert.Equal(0, Adm("-m", "node", "-T", target, "-p", portal, "-u").ExitCode);
        }
        finally
        {
            if (mounted) Tool.Run("umount", "-l", mnt);
            Adm("-m", "node", "-T", target, "-p", portal, "-u");
        }
    }
}
