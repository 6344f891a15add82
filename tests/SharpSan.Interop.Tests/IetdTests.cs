using System.Security.Cryptography;

namespace SharpSan.Interop.Tests;

/// <summary>
/// Seed 004's IET half: an ietd.conf with "Target iqn..." and "Lun 0 Path=...,Type=fileio", served by
/// `sharpsand --ietd` (what `/etc/init.d/iscsi-target start` runs), discovered and read by libiscsi and
/// QEMU; a malformed file refused with one line; the import into saveconfig.json.
/// </summary>
public sealed class IetdTests : IDisposable
{
    private const string Iqn = "iqn.2001-04.org.ultimana:storage.disk1";
    private const long SeedBytes = 1024L * 100000; // dd if=/dev/zero of=/iscsi/iscsitarget bs=1024 count=100000

    private readonly TempDirectory _dir = new(prefix: "sharpsan-ietd-");
    private readonly int _port = FreePort.Next();

    public void Dispose() => _dir.Dispose();

    private string Disk => _dir.File("iscsitarget");
    private string Conf => _dir.File("ietd.conf");
    private string Portal => $"127.0.0.1:{_port}";
    private string Url(int lun) => $"iscsi://{Portal}/{Iqn}/{lun}";

    /// <summary>The seed's backing file (made with truncate, sparse), with data at a few places so a
    /// byte comparison means something, and its ietd.conf, indented as the seed writes it.</summary>
    private void WriteSeed004()
    {
        Tool.Require("truncate");
        var r = Tool.Run("truncate", "-s", SeedBytes.ToString(), Disk);
        Assert.True(r.ExitCode == 0, r.ToString());
        using (var f = new FileStream(Disk, FileMode.Open, FileAccess.Write))
        {
            foreach (var offset in new[] { 0L, 4096, 1 << 20, SeedBytes - 65536 })
            {
                f.Position = offset;
                f.Write(RandomNumberGenerator.GetBytes(65536));
            }
        }
        File.WriteAllText(Conf, $"Target {Iqn}\n        Lun 0 Path={Disk},Type=fileio\n");
    }

    private TargetProcess Serve() => TargetProcess.StartWithArguments(_dir.Path, _port, "--ietd", Conf, "--portal", Portal);

    [Fact]
    public void Seed_004_target_is_discovered_and_read_by_iscsi_ls_and_qemu_img()
    {
        Tool.Require("iscsi-ls", "qemu-img");
        WriteSeed004();
        using var target = Serve();

        var ls = Tool.Run("iscsi-ls", "-s", $"iscsi://{Portal}");
        Assert.True(ls.ExitCode == 0, ls + target.Log);
        Assert.Contains($"Target:{Iqn} Portal:{Portal},1", ls.Stdout);
        Assert.Matches(@"Lun:0\s+Type:DIRECT_ACCESS \(Size:97M\)", ls.Stdout);
        Assert.DoesNotContain("Lun:1", ls.Stdout);

        var info = Tool.Run("qemu-img", "info", Url(0));
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains($"({SeedBytes} bytes)", info.Stdout);

        var copy = _dir.File("copy.raw");
        var convert = Tool.Run("qemu-img", "convert", "-O", "raw", Url(0), copy);
        Assert.True(convert.ExitCode == 0, convert.ToString());
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(Disk)), SHA256.HashData(File.ReadAllBytes(copy)));
        Assert.Equal(0, target.Stop());
    }

    [Fact]
    public void The_control_api_shows_the_ietd_targets_to_targetcli()
    {
        var targetcli = OutBin.Require("targetcli");
        WriteSeed004();
        using var target = Serve();
        var ls = Tool.Run("env", $"SHARPSAN_TARGETCLI_HOME={_dir.File("home")}", targetcli, "--socket", target.ControlSocket, "ls");
        Assert.True(ls.ExitCode == 0, ls.ToString());
        Assert.Contains(Iqn, ls.Stdout);
        Assert.Contains("iet1_lun0", ls.Stdout);
        Assert.Contains($"127.0.0.1:{_port}", ls.Stdout);
    }

    [Fact]
    public void A_malformed_ietd_conf_exits_1_with_one_line_naming_file_and_line()
    {
        WriteSeed004();
        File.AppendAllText(Conf, $"        Lun 1 Path={Disk},Type=nullio\n");
        var r = Tool.Run(TargetProcess.Daemon, "--ietd", Conf, "--portal", Portal, "--control-socket", _dir.File("control.sock"));
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"sharpsand: {Conf}:3: Lun 1: Type \"nullio\" (IET's null device for benchmarks: writes dropped, no storage) is not supported; use a fileio or blockio LUN\n", r.Stderr);
        Assert.False(File.Exists(_dir.File("control.sock")));
    }

    [Fact]
    public void Bad_arguments_exit_2()
    {
        var r = Tool.Run(TargetProcess.Daemon, "--ietd", Conf, "--portal", "localhost");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--portal \"localhost\" is not IP:PORT", r.Stderr);
        r = Tool.Run(TargetProcess.Daemon, "--ietd", Conf, "--config", _dir.File("x.json"));
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--demo, --config and --ietd exclude each other", r.Stderr);
    }

    [Fact]
    public void Import_to_saveconfig_json_is_served_by_sharpsand_config()
    {
        Tool.Require("iscsi-ls");
        WriteSeed004();
        var save = _dir.File("saveconfig.json");
        var r = Tool.Run(TargetProcess.Daemon, "--ietd", Conf, "--portal", Portal, "--import-to", save);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal($"sharpsand: imported 1 target(s) ({Iqn}) and 1 storage object(s) from {Conf} into {save}\n", r.Stdout);
        if (OperatingSystem.IsLinux())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(save));

        var again = Tool.Run(TargetProcess.Daemon, "--ietd", Conf, "--import-to", save);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains($"target {Iqn} is already there", again.Stderr);

        using var target = TargetProcess.StartWithFile(save, _port);
        var ls = Tool.Run("iscsi-ls", "-s", $"iscsi://{Portal}");
        Assert.True(ls.ExitCode == 0, ls + target.Log);
        Assert.Contains($"Target:{Iqn} Portal:{Portal},1", ls.Stdout);
    }

    /// <summary>Seed 004's `/etc/init.d/iscsi-target start`, then discovery, status and stop, with the
    /// packaged script (its paths moved into the test's folder through the variables it reads).</summary>
    [Fact]
    public void Init_script_starts_and_stops_the_ietd_target()
    {
        Tool.Require("iscsi-ls", "sh");
        // With systemd running the script hands every action to systemctl and iscsi-target.service.
        Requirement.SkipUnlessMet(Directory.Exists("/run/systemd/system") ? "systemd runs here: the script would call systemctl" : null);
        WriteSeed004();
        var script = Path.Combine(Repo.Root, "packaging", "iscsi-target.init");
        var pidFile = _dir.File("iscsi-target.pid");
        Tool.Result Service(string action, string conf) => Tool.Run("env",
            $"SHARPSAND={TargetProcess.Daemon}", $"IETD_CONF={conf}", $"IETD_OPTIONS=--portal {Portal}", $"PIDFILE={pidFile}",
            $"LOG={_dir.File("iscsi-target.log")}", $"SHARPSAN_CONTROL_SOCKET={_dir.File("control.sock")}", "sh", script, action);
        try
        {
            var start = Service("start", Conf);
            Assert.True(start.ExitCode == 0, start.ToString());
            Assert.Equal($"Starting iSCSI target: sharpsand --ietd {Conf}\n", start.Stdout);
            var ls = Tool.Run("iscsi-ls", $"iscsi://{Portal}");
            Assert.Contains($"Target:{Iqn} Portal:{Portal},1", ls.Stdout);
            Assert.StartsWith("iscsi-target is running (pid ", Service("status", Conf).Stdout);
            var stop = Service("stop", Conf);
            Assert.True(stop.ExitCode == 0, stop.ToString());
            Assert.False(File.Exists(pidFile));
            Assert.Equal(3, Service("status", Conf).ExitCode);

            File.WriteAllText(_dir.File("bad.conf"), "Lun 0 Path=/x\n");
            var bad = Service("start", _dir.File("bad.conf"));
            Assert.Equal(1, bad.ExitCode);
            Assert.Equal($"sharpsand: {_dir.File("bad.conf")}:1: Lun outside a Target block (target options follow a \"Target NAME\" line)\n", bad.Stderr);
        }
        finally
        {
            if (File.Exists(pidFile)) Service("stop", Conf);
        }
    }

    /// <summary>IncomingUser in the target asks for CHAP at login, the global one at discovery
    /// (ietd.conf(5)); libiscsi passes user and secret in the URL.</summary>
    [Fact]
    public void IncomingUser_accounts_require_chap_at_login_and_discovery()
    {
        Tool.Require("iscsi-inq", "iscsi-ls");
        WriteSeed004();
        File.WriteAllText(Conf, $"IncomingUser disco discosecret12\nTarget {Iqn}\n    IncomingUser joe joesecret1234\n    Lun 0 Path={Disk},Type=fileio\n");
        using var target = Serve();
        Assert.NotEqual(0, Tool.Run("iscsi-inq", Url(0)).ExitCode);
        Assert.NotEqual(0, Tool.Run("iscsi-inq", $"iscsi://joe%wrongsecret12@{Portal}/{Iqn}/0").ExitCode);
        var inq = Tool.Run("iscsi-inq", $"iscsi://joe%joesecret1234@{Portal}/{Iqn}/0");
        Assert.True(inq.ExitCode == 0, inq + target.Log);
        Assert.DoesNotContain(Iqn, Tool.Run("iscsi-ls", $"iscsi://{Portal}").Stdout);
        var ls = Tool.Run("iscsi-ls", $"iscsi://disco%discosecret12@{Portal}");
        Assert.True(ls.ExitCode == 0, ls + target.Log);
        Assert.Contains($"Target:{Iqn} Portal:{Portal},1", ls.Stdout);
    }

    /// <summary>
    /// IET's initiators.allow/initiators.deny decide at login and discovery: deny "ALL ALL" with an allow
    /// line for one address or initiator name admits only that (the usual IET setup). The reader turns
    /// it into the target's address/name ACL (see IetAccessTests for the mapping), which the Target
    /// layer enforces as tgt's.
    /// </summary>
    [Fact]
    public void Initiators_allow_with_deny_all_decide_at_login()
    {
        Tool.Require("iscsi-inq", "iscsi-ls");
        WriteSeed004();
        const string Allowed = "iqn.2026-11.io.sharpsan.test:allowed";
        const string Other = "iqn.2026-11.io.sharpsan.test:other";
        File.WriteAllText(_dir.File("initiators.deny"), "ALL ALL\n");

        File.WriteAllText(_dir.File("initiators.allow"), $"{Iqn} 10.0.0.1, {Allowed}\n");
        using (var target = Serve())
        {
            Assert.Equal(0, Tool.Run("iscsi-inq", "-i", Allowed, Url(0)).ExitCode);
            Assert.NotEqual(0, Tool.Run("iscsi-inq", "-i", Other, Url(0)).ExitCode);
            Assert.DoesNotContain(Iqn, Tool.Run("iscsi-ls", "-i", Other, $"iscsi://{Portal}").Stdout);
        }

        File.WriteAllText(_dir.File("initiators.allow"), $"{Iqn} 127.0.0.1\n");
        using (var target = Serve())
        {
            Assert.Equal(0, Tool.Run("iscsi-inq", "-i", Other, Url(0)).ExitCode);
        }

        File.WriteAllText(_dir.File("initiators.allow"), $"{Iqn} 127.0.0.2\n");
        using (var target = Serve())
        {
            Assert.NotEqual(0, Tool.Run("iscsi-inq", "-i", Other, Url(0)).ExitCode);
        }
    }

    /// <summary>
    /// A deny line that is not ALL ("everyone but these"): only expressible with the deny lists of
    /// TgtTargetConfig (denied_addresses/denied_names), which the Target layer must honour as
    /// TgtTargetConfig.Admits does: admitted = allowed OR (deny lists non-empty AND NOT denied).
    /// </summary>
    [Fact]
    public void Initiators_deny_for_some_initiators_keeps_the_others_in()
    {
        Tool.Require("iscsi-inq", "iscsi-ls");
        WriteSeed004();
        const string Denied = "iqn.2026-11.io.sharpsan.test:denied";
        const string Other = "iqn.2026-11.io.sharpsan.test:other";
        File.WriteAllText(_dir.File("initiators.deny"), $"{Iqn} 10.0.0.0/8, {Denied}\n");
        using (var target = Serve())
        {
            Assert.Equal(0, Tool.Run("iscsi-inq", "-i", Other, Url(0)).ExitCode);
            Assert.NotEqual(0, Tool.Run("iscsi-inq", "-i", Denied, Url(0)).ExitCode);
            Assert.DoesNotContain(Iqn, Tool.Run("iscsi-ls", "-i", Denied, $"iscsi://{Portal}").Stdout);
        }

        // An allow line wins over the deny line, as in IET.
        File.WriteAllText(_dir.File("initiators.allow"), $"{Iqn} {Denied}\n");
        File.WriteAllText(_dir.File("initiators.deny"), $"{Iqn} 127.0.0.1\n");
        using (var target = Serve())
        {
            Assert.Equal(0, Tool.Run("iscsi-inq", "-i", Denied, Url(0)).ExitCode);
            Assert.NotEqual(0, Tool.Run("iscsi-inq", "-i", Other, Url(0)).ExitCode);
        }
    }
}
