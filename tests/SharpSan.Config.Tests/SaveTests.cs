namespace SharpSan.Config.Tests;

public class SaveTests
{
    /// <summary>A clock that moves one second per read, so every save gets a distinct backup name.</summary>
    private sealed class SteppingClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

        public override DateTimeOffset GetUtcNow()
        {
            var now = _now;
            _now = _now.AddSeconds(1);
            return now;
        }
    }

    private static SanConfig Config(int size)
    {
        var config = DemoConfig.Create("/var/lib/sharpsand");
        config.StorageObjects[0].Size = (ulong)size * 512;
        return config;
    }

    [Fact]
    public void Save_writes_the_serialized_config_with_mode_0600_and_no_temp_left()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-config-");
        var path = Path.Combine(dir.Path, "saveconfig.json");
        SaveConfigWriter.Save(Config(8), path);

        Assert.Equal(SaveConfigWriter.Serialize(Config(8)), File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        // First save: nothing to back up, and only the file itself in the directory.
        Assert.Equal(["saveconfig.json"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Save_replaces_a_world_readable_file_with_a_0600_one()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-config-");
        var path = Path.Combine(dir.Path, "saveconfig.json");
        File.WriteAllText(path, "{}");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        SaveConfigWriter.Save(Config(8), path, backups: 0);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "backup")));
    }

    [Fact]
    public void Save_backs_up_the_previous_file_and_prunes_to_the_newest()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-config-");
        var path = Path.Combine(dir.Path, "saveconfig.json");
        var clock = new SteppingClock(new DateTimeOffset(2026, 11, 3, 14, 5, 0, TimeSpan.Zero));

        for (var i = 1; i <= 6; i++)
            SaveConfigWriter.Save(Config(i), path, backups: 3, clock, beforeRename: null);

        // Saves 2..6 each backed up the file before them (contents 1..5); the 3 newest survive.
        var backups = ConfigBackups.List(path);
        Assert.Equal(
            ["saveconfig-20261103-14:05:02-json.gz", "saveconfig-20261103-14:05:03-json.gz", "saveconfig-20261103-14:05:04-json.gz"],
            backups.Select(Path.GetFileName));
        Assert.Equal(SaveConfigWriter.Serialize(Config(3)), System.Text.Encoding.UTF8.GetString(ConfigBackups.ReadBackup(backups[0])));
        Assert.Equal(SaveConfigWriter.Serialize(Config(5)), System.Text.Encoding.UTF8.GetString(ConfigBackups.ReadBackup(backups[2])));
        Assert.All(backups, b => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(b)));
        Assert.Equal(SaveConfigWriter.Serialize(Config(6)), File.ReadAllText(path));
    }

    [Fact]
    public void Unchanged_file_is_not_backed_up_twice()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-config-");
        var path = Path.Combine(dir.Path, "saveconfig.json");
        var clock = new SteppingClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        for (var i = 0; i < 4; i++)
            SaveConfigWriter.Save(Config(8), path, backups: 10, clock, beforeRename: null);
        Assert.Single(ConfigBackups.List(path));
    }

    [Fact]
    public void Unrelated_files_in_backup_are_never_pruned()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-config-");
        var path = Path.Combine(dir.Path, "saveconfig.json");
        Directory.CreateDirectory(Path.Combine(dir.Path, "backup"));
        var keep = Path.Combine(dir.Path, "backup", "saveconfig-notes.txt");
        File.WriteAllText(keep, "mine");
        var clock = new SteppingClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        for (var i = 1; i <= 4; i++)
            SaveConfigWriter.Save(Config(i), path, backups: 1, clock, beforeRename: null);
        Assert.Single(ConfigBackups.List(path));
        Assert.True(File.Exists(keep));
    }

    [Fact]
    public void A_failure_before_the_rename_leaves_the_old_file_whole_and_no_temp()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-config-");
        var path = Path.Combine(dir.Path, "saveconfig.json");
        SaveConfigWriter.Save(Config(1), path);
        var before = File.ReadAllText(path);

        string? tempSeen = null;
        var ex = Assert.Throws<IOException>(() => SaveConfigWriter.Save(Config(2), path, 10, TimeProvider.System, temp =>
        {
            // The new content is complete and private in a temp file next to the target...
            tempSeen = temp;
            Assert.Equal(dir.Path, Path.GetDirectoryName(temp));
            Assert.StartsWith(".saveconfig.json.", Path.GetFileName(temp));
            Assert.Equal(SaveConfigWriter.Serialize(Config(2)), File.ReadAllText(temp));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp));
            throw new IOException("simulated crash before rename");
        }));

        Assert.Equal("simulated crash before rename", ex.Message);
        Assert.NotNull(tempSeen);
        Assert.False(File.Exists(tempSeen));
        // ...and the target still holds the old content, untouched.
        Assert.Equal(before, File.ReadAllText(path));
        Assert.Equal(["backup", "saveconfig.json"], Directory.EnumerateFileSystemEntries(dir.Path).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Invalid_config_is_never_written()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-config-");
        var path = Path.Combine(dir.Path, "saveconfig.json");
        var config = Config(1);
        config.Targets[0].Wwn = "not-a-name";
        var ex = Assert.Throws<ConfigException>(() => SaveConfigWriter.Save(config, path));
        Assert.Equal("$.targets[0].wwn", ex.JsonPath);
        Assert.StartsWith("saveconfig.json: ", ex.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Saved_file_loads_back()
    {
        using var dir = new TempDirectory(prefix: "sharpsan-config-");
        var path = Path.Combine(dir.Path, "saveconfig.json");
        var config = SaveConfigReader.Parse(Fixtures.LioSaveConfig);
        SaveConfigWriter.Save(config, path);
        Assert.Equal(Fixtures.LioSaveConfig, File.ReadAllText(path));
        Assert.Equal(3, SaveConfigReader.Load(path).StorageObjects.Count);
    }
}
