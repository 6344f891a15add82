using System.Diagnostics;
using System.Security.Cryptography;
using SharpSan.Config;

namespace SharpSan.Interop.Tests;

/// <summary>
/// The client side of the walkthroughs with our own tools: iscsiadm discovery and login through
/// iscsid, the LUN attached as a local block device (FUSE + loop), mkfs.ext4, mount, data written and
/// found again after logout/login, fsck clean, logout refused while mounted. Needs root, /dev/fuse
/// and loop devices (skipped otherwise, saying why).
/// </summary>
public sealed class InitiatorWalkthroughTests : IDisposable
{
    private const string Target = "iqn.2025-09.com.example:storage1";
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpsan-walk-").FullName;
    private readonly string _root;
    private readonly int _port = TargetProcess.FreePort();
    private readonly TargetProcess _target;
    private readonly Process _iscsid;

    public InitiatorWalkthroughTests()
    {
        _root = Path.Combine(_dir, "iscsi");
        Directory.CreateDirectory(_root);
        var config = new SanConfig();
        config.StorageObjects.Add(new StorageObjectConfig
        {
            Plugin = "fileio", Name = "disk1", Dev = Path.Combine(_dir, "disk1.img"), Size = 128UL << 20, WriteBack = true,
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

    private static string Bin(string name) => Path.Combine(TargetProcess.RepoRoot, "out", "bin", name);

    private Tool.Result Adm(params string[] args) =>
        Tool.Run("env", new[] { $"SHARPSAN_ISCSI_ROOT={_root}", Bin("iscsiadm") }.Concat(args), TimeSpan.FromMinutes(2));

    private static string? SkipReason()
    {
        if (Environment.UserName != "root") return "needs root";
        if (!File.Exists("/dev/fuse") || !File.Exists("/dev/loop-control")) return "needs /dev/fuse and loop devices";
        if (!Tool.Exists("mkfs.ext4")) return "needs mkfs.ext4";
        return null;
    }

    [Fact]
    public void Discover_login_mkfs_mount_write_logout_login_verify()
    {
        if (SkipReason() is { } reason)
        {
            Console.WriteLine($"skipped: {reason}");
            return;
        }
        var portal = $"127.0.0.1:{_port}";
        var disc = Adm("-m", "discovery", "-t", "sendtargets", "-p", portal);
        Assert.True(disc.ExitCode == 0, disc.ToString());
        Assert.Contains($"{portal},1 {Target}", disc.Stdout);

        var login = Adm("-m", "node", "-T", Target, "-p", portal, "--login");
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains($"Login to [iface: default, target: {Target}, portal: 127.0.0.1,{_port}] successful.", login.Stdout);

        var link = Path.Combine(_root, "run", "by-path", $"ip-{portal}-iscsi-{Target}-lun-0");
        var device = new FileInfo(link).LinkTarget!;
        Assert.StartsWith("/dev/loop", device);
        var details = Adm("-m", "session", "-P", "3");
        Assert.Contains($"Attached scsi disk {Path.GetFileName(device)}", details.Stdout);
        Assert.Contains("Negotiated iSCSI params:", details.Stdout);

        var mnt = Path.Combine(_dir, "mnt");
        Directory.CreateDirectory(mnt);
        var data = new byte[16 << 20];
        new Random(42).NextBytes(data);
        var sum = Convert.ToHexString(SHA256.HashData(data));
        bool mounted = false;
        try
        {
            Assert.Equal(0, Tool.Run("mkfs.ext4", "-q", "-F", device).ExitCode);
            Assert.Equal(0, Tool.Run("mount", device, mnt).ExitCode);
            mounted = true;
            File.WriteAllBytes(Path.Combine(mnt, "data.bin"), data);
            Assert.Equal(0, Tool.Run("sync").ExitCode);

            var busy = Adm("-m", "node", "-T", Target, "-p", portal, "--logout");
            Assert.Equal(28, busy.ExitCode); // refused while mounted

            Assert.Equal(0, Tool.Run("umount", mnt).ExitCode);
            mounted = false;
            var logout = Adm("-m", "node", "-T", Target, "-p", portal, "--logout");
            Assert.True(logout.ExitCode == 0, logout.ToString());
            Assert.Contains("successful.", logout.Stdout);
            Assert.Equal(21, Adm("-m", "session").ExitCode);

            Assert.Equal(0, Adm("-m", "node", "-T", Target, "-p", portal, "--login").ExitCode);
            device = new FileInfo(link).LinkTarget!;
            Assert.Equal(0, Tool.Run("mount", device, mnt).ExitCode);
            mounted = true;
            Assert.Equal(sum, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(mnt, "data.bin")))));
            Assert.Equal(0, Tool.Run("umount", mnt).ExitCode);
            mounted = false;
            var fsck = Tool.Run("fsck.ext4", "-fn", device);
            Assert.True(fsck.ExitCode == 0, fsck.ToString());
            Assert.Equal(0, Adm("-m", "node", "-T", Target, "-p", portal, "--logout").ExitCode);
        }
        finally
        {
            if (mounted) Tool.Run("umount", "-l", mnt);
        }
    }
}
