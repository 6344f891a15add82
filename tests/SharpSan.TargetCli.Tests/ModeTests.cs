using SharpSan.Control;
using SharpSan.TargetCli.Shell;

namespace SharpSan.TargetCli.Tests;

/// <summary>Argument parsing, one-shot and stdin script modes, preferences, rendering details.</summary>
public sealed class ModeTests
{
    [Theory]
    [InlineData(new string[0], CliMode.Shell, "/run/sharpsan/control.sock", "")]
    [InlineData(new[] { "/backstores/fileio", "create", "disk1", "/srv/disk1.img", "1G" }, CliMode.Command, "/run/sharpsan/control.sock", "/backstores/fileio create disk1 /srv/disk1.img 1G")]
    [InlineData(new[] { "--socket", "/tmp/s.sock", "ls" }, CliMode.Command, "/tmp/s.sock", "ls")]
    [InlineData(new[] { "--socket=/tmp/t.sock", "/iscsi", "ls" }, CliMode.Command, "/tmp/t.sock", "/iscsi ls")]
    [InlineData(new[] { "--version" }, CliMode.Version, "/run/sharpsan/control.sock", "")]
    [InlineData(new[] { "help" }, CliMode.Help, "/run/sharpsan/control.sock", "")]
    [InlineData(new[] { "--bogus" }, CliMode.Error, "/run/sharpsan/control.sock", "")]
    [InlineData(new[] { "--socket" }, CliMode.Error, "/run/sharpsan/control.sock", "")]
    public void Arguments(string[] args, CliMode mode, string socket, string command)
    {
        var parsed = CliArguments.Parse(args, null);
        Assert.Equal((mode, socket, command), (parsed.Mode, parsed.SocketPath, parsed.Command));
    }

    [Fact]
    public void Socket_from_environment_unless_given()
    {
        Assert.Equal("/env.sock", CliArguments.Parse(["ls"], "/env.sock").SocketPath);
        Assert.Equal("/arg.sock", CliArguments.Parse(["--socket", "/arg.sock", "ls"], "/env.sock").SocketPath);
    }

    [Fact]
    public void One_shot_exit_code_and_no_auto_save()
    {
        using var h = new ShellHarness();
        var runner = new ShellRunner(h.Shell);
        Assert.Equal(0, runner.RunCommandAsync("/backstores/ramdisk create r 1M").GetAwaiter().GetResult());
        Assert.Equal(1, runner.RunCommandAsync("/backstores/ramdisk create r 1M").GetAwaiter().GetResult());
        Assert.Equal("Storage object ramdisk/r exists\n", h.Errors.ToString());
        Assert.False(File.Exists(h.Client.ConfigPath));
    }

    [Fact]
    public void Unwired_client_factory_fails_with_one_line()
    {
        var errors = new StringWriter();
        var shell = new TargetCliShell(ControlClientFactory.Create("/nonexistent.sock"), new Prefs(null), new ShellOptions { Out = new StringWriter(), Err = errors });
        Assert.Equal(1, new ShellRunner(shell).RunCommandAsync("ls").GetAwaiter().GetResult());
        Assert.Equal("sharpsand control API client not available\n", errors.ToString());
        // exit and global preferences still work with the daemon down.
        Assert.True(shell.RunLineAsync("set global tree_max_depth=2").GetAwaiter().GetResult());
        Assert.True(shell.RunLineAsync("exit").GetAwaiter().GetResult());
        Assert.True(shell.ExitRequested);
    }

    [Fact]
    public void Stdin_script_runs_every_line_reports_errors_and_saves_on_exit()
    {
        using var h = new ShellHarness();
        var script = "# comment\n/backstores/ramdisk create r1 1M\n/nope ls\n\n/backstores/ramdisk create r2 2M\nexit\n/backstores/ramdisk create r3 1M\n";
        var code = new ShellRunner(h.Shell).RunScriptAsync(new StringReader(script)).GetAwaiter().GetResult();
        Assert.Equal(1, code);
        Assert.Equal(["r1", "r2"], h.Client.Current.StorageObjects.Select(s => s.Name));
        Assert.Equal("No such path /nope\n", h.Errors.ToString());
        Assert.Equal([
            "Created ramdisk r1 with size 1M.", "No such path /nope", "Created ramdisk r2 with size 2M.",
            "Global pref auto_save_on_exit=true", "Configuration saved to /etc/target/saveconfig.json",
        ], h.Lines(h.Combined.ToString()));
        Assert.True(File.Exists(h.Client.ConfigPath));
    }

    [Fact]
    public void Stdin_script_without_auto_save_succeeds_quietly()
    {
        using var h = new ShellHarness();
        h.Prefs.Set("auto_save_on_exit", "false");
        Assert.Equal(0, new ShellRunner(h.Shell).RunScriptAsync(new StringReader("/iscsi create iqn.2026-11.io.sharpsan:a\n")).GetAwaiter().GetResult());
        Assert.False(File.Exists(h.Client.ConfigPath));
    }

    [Fact]
    public void Prefs_persist_in_json_and_validate()
    {
        var dir = Directory.CreateTempSubdirectory("targetcli-prefs-").FullName;
        try
        {
            using (var h = new ShellHarness(prefsDir: dir))
            {
                Assert.Equal(["Parameter auto_save_on_exit is now 'false'."], h.Run("set global auto_save_on_exit=false"));
                Assert.Equal(["Not setting auto_add_mapped_luns! Syntax error, 'maybe' is not true|false."], h.Run("set global auto_add_mapped_luns=maybe"));
                Assert.Equal(["auto_save_on_exit=false "], h.Run("get global auto_save_on_exit"));
                Assert.Equal(["Unknown parameter nope in group 'global'."], h.Run("set global nope=1"));
                h.Run("cd /iscsi", "bookmarks add b");
            }
            Assert.Contains("\"auto_save_on_exit\": \"false\"", File.ReadAllText(Path.Combine(dir, Prefs.FileName)));
            var again = new Prefs(dir);
            Assert.False(again.GetBool("auto_save_on_exit"));
            Assert.Equal("/iscsi", again.Bookmarks["b"]);
            Assert.True(again.GetBool("auto_add_mapped_luns"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Auto_add_mapped_luns_false_skips_mappings()
    {
        using var h = new ShellHarness();
        h.Run("set global auto_add_mapped_luns=false", "/backstores/ramdisk create r 1M", "/iscsi create iqn.2026-11.io.sharpsan:a",
            "/iscsi/iqn.2026-11.io.sharpsan:a/tpg1/acls create iqn.2026-11.io.sharpsan:i");
        Assert.Equal(["Created LUN 0."], h.Run("/iscsi/iqn.2026-11.io.sharpsan:a/tpg1/luns create /backstores/ramdisk/r"));
    }

    [Fact]
    public void Tree_colours_only_on_a_terminal_with_color_mode()
    {
        using var h = new ShellHarness(width: 60);
        Assert.DoesNotContain("\x1b[", string.Join("", h.Run("ls")));
        h.Prefs.Set("color_mode", "true");
        var coloured = string.Join("\n", h.Run("ls"));
        Assert.Contains("\x1b[34;1mbackstores\x1b[0m", coloured);
        using var pipe = new ShellHarness();
        pipe.Prefs.Set("color_mode", "true");
        Assert.DoesNotContain("\x1b[", string.Join("", pipe.Run("ls")));
        Assert.Equal(80, pipe.Run("ls")[0].Length);
    }

    [Fact]
    public void Ls_depth_and_subtree()
    {
        using var h = new ShellHarness();
        Assert.Equal(4, h.Run("ls / 1").Count);
        var sub = h.Run("ls /backstores 0");
        Assert.Equal(80, sub[0].Length);
        Assert.StartsWith("o- backstores ....", sub[0]);
        Assert.StartsWith("  o- block ....", sub[1]);
        Assert.Equal(5, h.Run("ls /backstores").Count);
    }

    [Theory]
    [InlineData("1G", 1UL << 30)]
    [InlineData("500M", 500UL << 20)]
    [InlineData("1T", 1UL << 40)]
    [InlineData("512K", 512UL << 10)]
    [InlineData("4096", 4096UL)]
    [InlineData("2GiB", 2UL << 30)]
    public void Size_syntax(string text, ulong bytes) => Assert.Equal(bytes, Sizes.Parse(text));

    [Theory]
    [InlineData(512UL, "512 bytes")]
    [InlineData(20UL << 30, "20.0GiB")]
    [InlineData(300UL << 20, "300.0MiB")]
    [InlineData(1536UL, "1.5KiB")]
    public void Human_sizes(ulong bytes, string text) => Assert.Equal(text, Sizes.ToHuman(bytes));
}
