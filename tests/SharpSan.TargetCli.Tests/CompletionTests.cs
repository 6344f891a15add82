namespace SharpSan.TargetCli.Tests;

/// <summary>Tab completion candidates (the logic; the terminal editor only applies them).</summary>
public sealed class CompletionTests
{
    private static IReadOnlyList<string> Complete(ShellHarness h, string line) => h.Shell.CompleteAsync(line, line.Length).GetAwaiter().GetResult().Candidates;

    [Fact]
    public void First_word_offers_commands_and_child_paths()
    {
        using var h = new ShellHarness();
        Assert.Equal(["saveconfig", "sessions", "set", "status"], Complete(h, "s").Order(StringComparer.Ordinal));
        Assert.Equal(["version "], Complete(h, "ve"));
        Assert.Equal(["backstores/"], Complete(h, "back"));
        Assert.Equal(["iscsi/ "], Complete(h, "is"));
        Assert.True(h.Shell.RunLineAsync("iscsi/ ").GetAwaiter().GetResult());
        Assert.Equal("/iscsi", h.Shell.CurrentPath);
        Assert.Contains("/", Complete(h, ""));
        Assert.Contains("ls", Complete(h, ""));
    }

    [Fact]
    public void Paths_complete_level_by_level_and_leaves_end_with_a_space()
    {
        using var h = CommandTests.Setup();
        Assert.Equal(["/backstores/"], Complete(h, "/back"));
        Assert.Equal(["/backstores/fileio/"], Complete(h, "/backstores/fi"));
        Assert.Equal(["/backstores/block/", "/backstores/fileio/", "/backstores/pscsi/", "/backstores/ramdisk/"], Complete(h, "/backstores/"));
        Assert.Equal(["/backstores/block "], Complete(h, "/backstores/bl"));
        Assert.Equal(["/iscsi/iqn.2026-11.io.sharpsan:t1/tpg1/luns/lun0 "], Complete(h, "/iscsi/iqn.2026-11.io.sharpsan:t1/tpg1/luns/l"));
        Assert.Equal(["cd /loopback "], Complete(h, "cd /lo").Select(c => "cd " + c));
    }

    [Fact]
    public void Command_after_a_path_comes_from_that_node()
    {
        using var h = new ShellHarness();
        Assert.Equal(["create "], Complete(h, "/backstores/fileio cr"));
        Assert.Equal(["delete "], Complete(h, "/iscsi del"));
    }

    [Fact]
    public void Keyword_parameters_and_values()
    {
        using var h = CommandTests.Setup();
        Assert.Equal(["write_back=", "wwn="], Complete(h, "/backstores/fileio create d2 /tmp/x 1G w"));
        Assert.Equal(["write_back=true", "write_back=false"], Complete(h, "/backstores/fileio create d2 /tmp/x 1G write_back="));
        Assert.Empty(Complete(h, "/iscsi/iqn.2026-11.io.sharpsan:t1/tpg1 set x"));
        Assert.Equal(["attribute", "auth"], Complete(h, "/iscsi/iqn.2026-11.io.sharpsan:t1/tpg1 set a"));
        Assert.Equal(["authentication="], Complete(h, "/iscsi/iqn.2026-11.io.sharpsan:t1/tpg1 set attribute authe"));
        Assert.Equal(["auto_add_default_portal=", "auto_add_mapped_luns="], Complete(h, "set global auto_add"));
        Assert.Equal(["/backstores/fileio/d1 "], Complete(h, "/iscsi/iqn.2026-11.io.sharpsan:t1/tpg1/luns create /backstores/f"));
        Assert.Equal(["d1 ", "name="], Complete(h, "/backstores/fileio delete "));
        Assert.Equal(["d1 "], Complete(h, "/backstores/fileio delete d"));
        Assert.Equal(["detail "], Complete(h, "sessions d"));
    }

    [Fact]
    public void Bookmarks_complete_with_at()
    {
        using var h = new ShellHarness();
        h.Run("cd /iscsi", "bookmarks add isc", "cd /");
        Assert.Equal(["@isc"], Complete(h, "@i"));
        Assert.Equal(["@isc "], Complete(h, "cd @"));
    }

    [Fact]
    public void Common_prefix_and_columns()
    {
        var c = new Editing.Completion(0, ["auto_add_default_portal=", "auto_add_mapped_luns="]);
        Assert.Equal("auto_add_", c.CommonPrefix());
        Assert.Equal("ab  cd  ef\ngh", Editing.LineEditor.Columns(["ab", "cd", "ef", "gh"], 12));
    }
}
