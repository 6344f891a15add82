namespace SharpSan.Interop.Tests;

/// <summary>
/// Seed 000's server side end to end: out/bin/targetcli drives a live out/bin/sharpsand through the
/// control socket; libiscsi logs in as the walkthrough's client; the saved tree survives a restart.
/// </summary>
public sealed class TargetCliTests : IDisposable
{
    private const string Target = "iqn.2025-09.com.example:storage1";
    private const string Client = "iqn.2025-09.com.example:client1";
    private readonly string _dir = Directory.CreateTempSubdirectory("sharpsan-targetcli-").FullName;
    private readonly int _port = FreePort.Next();
    private TargetProcess _target;

    public TargetCliTests()
    {
        _target = TargetProcess.StartWithFile(Path.Combine(_dir, "saveconfig.json"), _port, waitForPortal: false);
    }

    public void Dispose()
    {
        _target.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string TargetCli => Path.Combine(Repo.Root, "out", "bin", "targetcli");

    private Tool.Result Cli(params string[] args)
    {
        var all = new List<string> { "--socket", _target.ControlSocket };
        all.AddRange(args);
        return Tool.Run("env", new[] { $"SHARPSAN_TARGETCLI_HOME={Path.Combine(_dir, "home")}", TargetCli }.Concat(all));
    }

    private string Ok(params string[] args)
    {
        var r = Cli(args);
        Assert.True(r.ExitCode == 0, string.Join(' ', args) + "\n" + r);
        return r.Stdout;
    }

    private void BuildSeed000Tree()
    {
        Assert.Equal($"Created fileio disk1 with size {1L << 30}\n", Ok("/backstores/fileio", "create", "name=disk1", $"file_or_dev={_dir}/disk1.img", "size=1G"));
        // The test's own port instead of the default portal 0.0.0.0:3260, which another target on this
        // machine may hold (the default portal's messages are checked in SharpSan.TargetCli.Tests).
        Assert.Equal("Parameter auto_add_default_portal is now 'false'.\n", Ok("set", "global", "auto_add_default_portal=false"));
        Assert.Equal($"Created target {Target}.\nCreated TPG 1.\n", Ok("/iscsi", "create", $"wwn={Target}"));
        Assert.Equal($"Created network portal 127.0.0.1:{_port}.\n", Ok($"/iscsi/{Target}/tpg1/portals", "create", "127.0.0.1", $"{_port}"));
        Assert.Equal($"Created Node ACL for {Client}\n", Ok($"/iscsi/{Target}/tpg1/acls", "create", Client));
        Assert.Equal($"Created LUN 0.\nCreated LUN 0->0 mapping in node ACL {Client}\n", Ok($"/iscsi/{Target}/tpg1/luns", "create", "/backstores/fileio/disk1"));
    }

    [Fact]
    public void Walkthrough_tree_serves_the_client_and_survives_a_restart()
    {
        BuildSeed000Tree();
        var ls = Ok("ls");
        Assert.Contains($"o- {Client} ", ls);
        Assert.Contains("[lun0 fileio/disk1 (rw)]", ls);
        Assert.Contains($"o- 127.0.0.1:{_port} ", ls);

        var client = Tool.Run("iscsi-ls", "-s", "-i", Client, $"iscsi://127.0.0.1:{_port}/");
        Assert.True(client.ExitCode == 0, client.ToString());
        Assert.Contains($"Target:{Target} Portal:127.0.0.1:{_port},1", client.Stdout);
        Assert.Contains("Lun:0", client.Stdout);
        Assert.NotEqual(0, Tool.Run("iscsi-inq", "-i", "iqn.2025-09.com.example:other", $"iscsi://127.0.0.1:{_port}/{Target}/0").ExitCode);

        Assert.Contains($"Configuration saved to {_dir}/saveconfig.json", Ok("saveconfig"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "saveconfig.json")));
        Assert.Equal(0, _target.Stop());
        _target.Dispose();
        _target = TargetProcess.StartWithFile(Path.Combine(_dir, "saveconfig.json"), _port);
        Assert.Equal(ls, Ok("ls"));
        Assert.Equal(0, Tool.Run("iscsi-inq", "-i", Client, $"iscsi://127.0.0.1:{_port}/{Target}/0").ExitCode);
    }

    [Fact]
    public void Chap_set_with_targetcli_is_enforced()
    {
        BuildSeed000Tree();
        Ok($"/iscsi/{Target}/tpg1", "set", "attribute", "authentication=1");
        Ok($"/iscsi/{Target}/tpg1/acls/{Client}", "set", "auth", "userid=client1", "password=client1-secret");
        var url = (string secret) => $"iscsi://client1%{secret}@127.0.0.1:{_port}/{Target}/0";
        Assert.Equal(0, Tool.Run("iscsi-inq", "-i", Client, url("client1-secret")).ExitCode);
        Assert.NotEqual(0, Tool.Run("iscsi-inq", "-i", Client, url("wrong-secret-1")).ExitCode);
        Assert.DoesNotContain("client1-secret", Ok("ls"));
    }

    [Fact]
    public void Commands_from_standard_input_and_errors_as_targetcli_words_them()
    {
        var script = Path.Combine(_dir, "script.txt");
        File.WriteAllText(script, $"set global auto_add_default_portal=false\n/backstores/ramdisk create rd1 64M\ncd /nowhere\n/iscsi create {Target}\nls /iscsi 1\n");
        var r = Tool.Run("sh", "-c", $"SHARPSAN_TARGETCLI_HOME={_dir}/home {TargetCli} --socket {_target.ControlSocket} < {script}");
        Assert.Contains("No such path /nowhere", r.Output);
        Assert.Contains($"Created target {Target}.", r.Stdout);
        Assert.Contains("[Targets: 1]", r.Stdout);
        Assert.NotEqual(0, r.ExitCode); // one command failed

        var missing = Cli("/backstores/fileio", "delete", "nope");
        Assert.NotEqual(0, missing.ExitCode);
        var inUse = Cli("/backstores/ramdisk", "delete", "rd1");
        Assert.Equal(0, inUse.ExitCode); // not used by a LUN yet
    }

    [Fact]
    public void Restoreconfig_from_a_gzipped_backup_brings_the_tree_back()
    {
        BuildSeed000Tree();
        Ok("saveconfig");
        var before = Ok("ls");
        Ok($"/iscsi", "delete", Target);
        Ok("saveconfig"); // the first version is now a backup
        var backup = Directory.GetFiles(Path.Combine(_dir, "backup"), "saveconfig-*-json.gz").Single();
        Assert.Contains($"Configuration restored from {backup}", Ok("restoreconfig", backup, "clear_existing=true"));
        Assert.Equal(before, Ok("ls"));
        Assert.Equal(0, Tool.Run("iscsi-inq", "-i", Client, $"iscsi://127.0.0.1:{_port}/{Target}/0").ExitCode);
    }

    [Fact]
    public void Deleting_a_backstore_in_use_is_refused()
    {
        BuildSeed000Tree();
        var r = Cli("/backstores/fileio", "delete", "disk1");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("luns/lun0", r.Output);
        Assert.Contains("disk1", Ok("ls", "/backstores"));
    }
}
