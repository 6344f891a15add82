namespace SharpSan.TargetCli.Tests;

/// <summary>Replays the server-side targetcli parts of the seed walkthroughs and compares every output
/// line exactly (ls blocks of seed 000 at its terminal width, 58 columns).</summary>
public sealed class TranscriptTests
{
    private static readonly Dictionary<string, ulong> Devices = new()
    {
        ["/dev/sdb"] = 20UL << 30,
        ["/dev/vg00/lv00"] = 300UL << 20,
        ["/dev/mypool/lv01"] = 800UL << 20,
    };

    /// <summary>"/> command" lines followed by the lines that command prints.</summary>
    internal static List<(string Command, List<string> Expected)> Load(string name)
    {
        var steps = new List<(string, List<string>)>();
        foreach (var line in File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Transcripts", name)))
        {
            if (line.StartsWith("/> ", StringComparison.Ordinal))
                steps.Add((line[3..], new List<string>()));
            else
                steps[^1].Item2.Add(line);
        }
        return steps;
    }

    private static void Replay(ShellHarness h, string name)
    {
        var steps = Load(name);
        Assert.NotEmpty(steps);
        foreach (var (command, expected) in steps)
        {
            var actual = command == "exit" ? RunExit(h) : h.Run(command);
            Assert.Equal(string.Join("\n", expected), string.Join("\n", actual));
        }
    }

    private static List<string> RunExit(ShellHarness h)
    {
        var start = h.Combined.GetStringBuilder().Length;
        Assert.True(h.Shell.RunLineAsync("exit").GetAwaiter().GetResult());
        Assert.True(h.Shell.ExitRequested);
        Assert.True(h.Shell.RunExitActionsAsync().GetAwaiter().GetResult());
        return h.Lines(h.Combined.ToString()[start..]);
    }

    [Fact]
    public void Seed000_block_target_acl_lun_save_exit()
    {
        using var h = new ShellHarness(width: 58, devices: Devices);
        Replay(h, "seed000.txt");
        Assert.Empty(h.Errors.ToString());
        // What exit saved is the tree the commands built.
        var saved = Config.SaveConfigReader.Load(h.Client.ConfigPath);
        Assert.Equal("/backstores/block/disk1", Assert.Single(saved.Targets[0].Tpgs[0].Luns).StorageObject);
        Assert.True(Directory.Exists(Path.Combine(Path.GetDirectoryName(h.Client.ConfigPath)!, "backup")));
    }

    [Fact]
    public void Seed003_two_targets_without_default_portal()
    {
        using var h = new ShellHarness(devices: Devices);
        h.Prefs.Set("auto_add_default_portal", "false");
        Replay(h, "seed003.txt");
        Assert.Empty(h.Errors.ToString());
        Assert.Equal(2, h.Client.Current.Targets.Count);
    }

    [Fact]
    public void Seed003_final_tree_at_width_80()
    {
        using var h = new ShellHarness(devices: Devices);
        h.Prefs.Set("auto_add_default_portal", "false");
        foreach (var (command, _) in Load("seed003.txt"))
            h.Run(command);
        var ls = h.Run("ls");
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Transcripts", "seed003-ls80.txt"));
        Assert.Equal(string.Join("\n", expected), string.Join("\n", ls));
        // Every line with dots fills the 80 columns exactly (configshell: width - 1 + the closing bracket).
        Assert.All(ls.Where(l => l.Contains(" .")), l => Assert.Equal(80, l.Length));
    }
}
