using SharpSan.Config;

namespace SharpSan.Interop.Tests;

/// <summary>The daemon's life cycle: start-up on good, missing and bad configs, SIGTERM, and
/// durability of acknowledged writes across SIGKILL.</summary>
public sealed class DaemonTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpsan-daemon-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public void Sigterm_stops_the_daemon_with_exit_code_0()
    {
        int port = FreePort.Next();
        using var t = TargetProcess.Start(TargetFixture.BuildConfig(_dir, port), _dir, port);
        Assert.Equal(0, t.Stop());
        Assert.Contains("stopped", t.Log);
    }

    [Fact]
    public void Missing_config_file_starts_empty_and_says_so()
    {
        var path = Path.Combine(_dir, "absent.json");
        var psi = Tool.Run("timeout", "-s", "TERM", "3", TargetProcess.Daemon, "--config", path, "--control-socket", Path.Combine(_dir, "c.sock"));
        Assert.Contains("does not exist: starting with an empty configuration", psi.Output);
        Assert.Equal(0, psi.ExitCode == 124 ? 0 : psi.ExitCode); // stopped by timeout's SIGTERM: exit 0
    }

    [Fact]
    public void Invalid_config_is_refused_whole_with_the_json_path()
    {
        var path = Path.Combine(_dir, "bad.json");
        int port = FreePort.Next();
        var config = TargetFixture.BuildConfig(_dir, port);
        File.WriteAllText(path, SaveConfigWriter.Serialize(config).Replace("/backstores/fileio/disk1", "/backstores/fileio/nope"));
        var r = Tool.Run(TargetProcess.Daemon, "--config", path, "--control-socket", Path.Combine(_dir, "c.sock"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("$.targets[0].tpgs[0].luns[0].storage_object", r.Stderr);
        Assert.Contains("/backstores/fileio/nope", r.Stderr);
        Assert.False(File.Exists(Path.Combine(_dir, "disk1.img")), "a refused config must not create backstores");
    }

    [Fact]
    public void Damaged_config_names_the_last_good_backup()
    {
        var path = Path.Combine(_dir, "saveconfig.json");
        var config = TargetFixture.BuildConfig(_dir, FreePort.Next());
        SaveConfigWriter.Save(config, path);
        config.Targets.RemoveAt(2);
        SaveConfigWriter.Save(config, path); // the first version goes to backup/
        File.WriteAllText(path, "{ \"storage_objects\": [ { \"plugin\": ");
        var r = Tool.Run(TargetProcess.Daemon, "--config", path, "--control-socket", Path.Combine(_dir, "c.sock"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(path, r.Stderr);
        Assert.Contains("invalid JSON", r.Stderr);
        Assert.Contains("the last good backup is " + Path.Combine(_dir, "backup", "saveconfig-"), r.Stderr);
    }

    [Fact]
    public void Bad_arguments_get_a_one_line_error_and_exit_2()
    {
        var r = Tool.Run(TargetProcess.Daemon, "--bogus");
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Theory]
    [InlineData(3, false)] // write-through backstore: every acknowledged write is durable
    [InlineData(0, true)]  // write-back backstore: FUA writes are durable
    public void Acknowledged_durable_writes_survive_sigkill(int lun, bool fua)
    {
        int port = FreePort.Next();
        var config = TargetFixture.BuildConfig(_dir, port);
        var t = TargetProcess.Start(config, _dir, port);
        var data = new byte[64 * 1024];
        new Random(lun).NextBytes(data);
        using (var c = new RawInitiator(port))
        {
            Assert.Equal(0, c.Login("iqn.2026-11.io.sharpsan.test:durable", TargetFixture.Open, digests: false));
            RawPdu status = fua ? WriteFua(c, lun, data) : WriteLun(c, lun, data);
            Assert.Equal(0, status.Header[3]);
        }
        t.KillHard();
        t.Dispose();
        var file = Path.Combine(_dir, lun == 3 ? "wt.img" : "disk1.img");
        using var fs = File.OpenRead(file);
        fs.Position = 4096L * 512;
        var back = new byte[data.Length];
        fs.ReadExactly(back);
        Assert.Equal(data, back);
    }

    private static RawPdu WriteLun(RawInitiator c, int lun, byte[] data) => WriteWithFlags(c, lun, data, 0);

    private static RawPdu WriteFua(RawInitiator c, int lun, byte[] data) => WriteWithFlags(c, lun, data, 0x08);

    private static RawPdu WriteWithFlags(RawInitiator c, int lun, byte[] data, byte flags)
    {
        var h = c.CommandHeader(RawInitiator.Cdb10(0x2A, 4096, (ushort)(data.Length / 512), flags), (uint)data.Length, false, true, true, data.Length, (ulong)lun);
        c.Send(h, data, false, false);
        return c.Receive();
    }
}
