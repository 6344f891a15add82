using System.Text.RegularExpressions;
using SharpSan.Tgt.Admin;

namespace SharpSan.Tgt.Tests;

/// <summary>
/// packaging/tgt.service's start, reload and stop commands (what `service tgt start|reload|stop`
/// and /etc/init.d/tgtd run), played in order against a live sharpsand with a temporary targets.conf:
/// start loads it, reload applies an edit, stop takes the tgt targets away and leaves the system ready.
/// </summary>
public sealed partial class ServiceUnitTests
{
    [Fact]
    public async Task Start_reload_stop_of_tgt_service_do_what_debians_tgt_service_does()
    {
        var unit = File.ReadAllLines(Path.Combine(Repo.Root, "packaging", "tgt.service"));
        Assert.Contains("Alias=tgtd.service", unit);
        await using var d = await LiveSharpsand.StartAsync();
        foreach (var n in new[] { "a.img", "b.img" }) { using var f = File.Create(d.Dir.File(n)); f.SetLength(8 << 20); }
        var conf = d.Dir.File("targets.conf");
        File.WriteAllText(conf, $"<target iqn.2001-04.com.example:a>\n  backing-store {d.Dir.File("a.img")}\n</target>\n");

        await RunAsync(d, unit, "ExecStart", conf);
        Assert.Equal(["iqn.2001-04.com.example:a"], (await d.ConfigAsync()).Targets.Select(t => t.Wwn));
        Assert.Equal("ready", (await d.ConfigAsync()).Tgt.State);

        File.AppendAllText(conf, $"<target iqn.2001-04.com.example:b>\n  backing-store {d.Dir.File("b.img")}\n</target>\n");
        await RunAsync(d, unit, "ExecReload", conf);
        Assert.Equal(2, (await d.ConfigAsync()).Targets.Count);

        await RunAsync(d, unit, "ExecStop", conf);
        var config = await d.ConfigAsync();
        Assert.Empty(config.Targets);
        Assert.Equal("ready", config.Tgt.State);
    }

    [Fact]
    public void The_init_script_hands_every_action_to_tgt_service()
    {
        var script = File.ReadAllText(Path.Combine(Repo.Root, "packaging", "tgt.init"));
        Assert.Contains("exec systemctl \"$1\" tgt.service", script);
        Assert.Contains("# Provides:          tgt tgtd", script);
    }

    /// <summary>The unit's <paramref name="key"/> lines, each tgtadm or tgt-admin command run in-process.</summary>
    private static async Task RunAsync(LiveSharpsand d, string[] unit, string key, string conf)
    {
        foreach (var line in unit.Where(l => l.StartsWith(key + "=", StringComparison.Ordinal)))
        {
            var match = Command().Match(line);
            Assert.True(match.Success, $"no tgtadm/tgt-admin command in {line}");
            var optional = line[(key.Length + 1)..].StartsWith('-');
            var words = ShellWords.Split(match.Groups[2].Value.Replace("/etc/tgt/targets.conf", conf)).ToArray();
            var run = match.Groups[1].Value == "tgtadm" ? await d.TgtadmAsync(words) : await d.TgtAdminAsync(words);
            Assert.True(optional || run.ExitCode == 0, $"{line}: {run}");
        }
    }

    [GeneratedRegex(@"/opt/sharpsan/bin/(tgtadm|tgt-admin) ([^']*)")]
    private static partial Regex Command();
}
