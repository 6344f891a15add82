using SharpSan.Config;
using SharpSan.Control;

namespace SharpSan.Daemon.Tests;

/// <summary>The daemon's control backend: generations, validation in one place, live apply, atomic save.</summary>
public sealed class TargetControlBackendTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new(prefix: "sharpsan-daemon-");
    private TargetHarness _h = null!;
    private TargetControlBackend _backend = null!;

    private string ConfigPath => _dir.File("saveconfig.json");

    public async ValueTask InitializeAsync()
    {
        _h = await TargetHarness.StartAsync();
        _backend = new TargetControlBackend(_h.Server, ConfigPath);
    }

    public async ValueTask DisposeAsync()
    {
        await _h.DisposeAsync();
        _dir.Dispose();
    }

    private (SanConfig Config, long Generation) Read()
    {
        var (json, generation, path) = _backend.GetConfig();
        Assert.Equal(ConfigPath, path);
        return (SaveConfigReader.Parse(json, "test"), generation);
    }

    private static string Json(SanConfig config) => SaveConfigWriter.Serialize(config);

    [Fact]
    public void Get_answers_the_live_tree_at_generation_one()
    {
        var (config, generation) = Read();

        Assert.Equal(1, generation);
        Assert.Equal(Json(_h.Server.Config), Json(config));
    }

    [Fact]
    public async Task A_valid_tree_is_applied_live_and_bumps_the_generation()
    {
        var (config, generation) = Read();
        config.StorageObjects.Add(Fixtures.Ramdisk("rd9"));
        config.Targets[0].Tpgs[0].Luns.Add(new LunConfig { Index = 1, StorageObject = "/backstores/ramdisk/rd9" });

        Assert.Equal(2, await _backend.PutConfigAsync(Json(config), generation, CancellationToken.None));

        Assert.Equal("rd9", _h.Server.Server.Topology.Targets[Fixtures.Target1].Tpgs[0].Luns[1].Backstore.Name);
        var (after, g2) = Read();
        Assert.Equal(2, g2);
        Assert.Equal(Json(config), Json(after));
    }

    [Fact]
    public async Task A_stale_generation_is_a_conflict_and_changes_nothing()
    {
        var (config, generation) = Read();
        await _backend.PutConfigAsync(Json(config), generation, CancellationToken.None);
        var live = _h.Server.Config;

        config.StorageObjects.Add(Fixtures.Ramdisk("rd9"));
        var ex = await Assert.ThrowsAsync<ControlException>(() => _backend.PutConfigAsync(Json(config), generation, CancellationToken.None));

        Assert.Equal(ControlErrorKind.Conflict, ex.Kind);
        Assert.Equal("the configuration changed meanwhile (generation 2, not 1); read it again and retry", ex.Message);
        Assert.Same(live, _h.Server.Config);
        Assert.Equal(2, Read().Generation);
    }

    [Fact]
    public async Task An_invalid_tree_is_refused_with_its_json_path()
    {
        var (config, generation) = Read();
        var live = _h.Server.Config;
        config.Targets[0].Tpgs[0].Luns[0].StorageObject = "/backstores/ramdisk/nope";

        var ex = await Assert.ThrowsAsync<ControlException>(() => _backend.PutConfigAsync(Json(config), generation, CancellationToken.None));

        Assert.Equal(ControlErrorKind.Invalid, ex.Kind);
        Assert.StartsWith("new configuration: $.targets[0].tpgs[0].luns[0]", ex.Message);
        Assert.Contains("/backstores/ramdisk/nope", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.Same(live, _h.Server.Config);
        Assert.Equal(1, Read().Generation);
    }

    [Fact]
    public async Task An_attribute_out_of_lios_range_is_invalid_naming_it()
    {
        var (config, generation) = Read();
        config.Targets[0].Tpgs[0].ExtraAttributes[LioAttributes.DefaultCmdsnDepth.Name] = 0;

        var ex = await Assert.ThrowsAsync<ControlException>(() => _backend.PutConfigAsync(Json(config), generation, CancellationToken.None));

        Assert.Equal(ControlErrorKind.Invalid, ex.Kind);
        Assert.StartsWith("new configuration: $.targets[0].tpgs[0].attributes.default_cmdsn_depth", ex.Message);
    }

    [Fact]
    public async Task Text_that_is_not_json_is_invalid_with_line_and_column()
    {
        var ex = await Assert.ThrowsAsync<ControlException>(() => _backend.PutConfigAsync("{\n  \"targets\": [", 1, CancellationToken.None));

        Assert.Equal(ControlErrorKind.Invalid, ex.Kind);
        Assert.StartsWith("new configuration: ", ex.Message);
        Assert.Contains("invalid JSON at line 2", ex.Message);
    }

    [Fact]
    public async Task A_tree_that_cannot_be_applied_fails_and_keeps_the_generation()
    {
        using var holder = Fixtures.HoldPort(out int held);
        var (config, generation) = Read();
        var live = _h.Server.Config;
        config.Targets[0].Tpgs[0].Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = held });

        var ex = await Assert.ThrowsAsync<ControlException>(() => _backend.PutConfigAsync(Json(config), generation, CancellationToken.None));

        Assert.Equal(ControlErrorKind.Failed, ex.Kind);
        Assert.Contains($"cannot listen on 127.0.0.1:{held}", ex.Message);
        Assert.Same(live, _h.Server.Config);
        Assert.Equal(1, Read().Generation);
        Assert.True(Fixtures.Listening(_h.Port));
    }

    [Fact]
    public async Task Save_writes_the_live_tree_owner_only_to_the_daemons_file()
    {
        var written = await _backend.SaveConfigAsync(null, CancellationToken.None);

        Assert.Equal(ConfigPath, written);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(written));
        Assert.Equal(Json(_h.Server.Config), Json(SaveConfigReader.Load(written)));
    }

    [Fact]
    public async Task Save_to_another_path_answers_its_full_path_and_replaces_an_older_file()
    {
        var other = _dir.File("elsewhere.json");
        File.WriteAllText(other, "old");
        File.SetUnixFileMode(other, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, other);

        var written = await _backend.SaveConfigAsync(relative, CancellationToken.None);

        Assert.Equal(other, written);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(other));
        Assert.Equal(Json(_h.Server.Config), Json(SaveConfigReader.Load(other)));
        Assert.False(File.Exists(ConfigPath));
    }

    [Fact]
    public async Task Save_where_no_file_can_be_written_fails_naming_the_path()
    {
        var path = Fixtures.UncreatableFile(_dir);

        var ex = await Assert.ThrowsAsync<ControlException>(() => _backend.SaveConfigAsync(path, CancellationToken.None));

        Assert.Equal(ControlErrorKind.Failed, ex.Kind);
        Assert.StartsWith($"cannot save to {path}: ", ex.Message);
    }

    [Fact]
    public async Task Sessions_describe_a_logged_in_initiator()
    {
        Assert.Empty(_backend.GetSessions());
        await using var session = await _h.LoginAsync();

        var s = Assert.Single(_backend.GetSessions());

        Assert.Equal(Fixtures.Target1, s.TargetName);
        Assert.Equal(1, s.Tpg);
        Assert.Equal(TargetHarness.Initiator, s.InitiatorName);
        Assert.Matches("^0x[0-9a-f]{12}$", s.Isid);
        Assert.Equal("Normal", s.SessionType);
        Assert.Equal("LOGGED_IN", s.State);
        Assert.True(s.DynamicAcl); // the harness's TPG is in demo mode
        var lun = Assert.Single(s.Luns);
        Assert.Equal((0UL, "ramdisk/rd1", false), (lun.Lun, lun.StorageObject, lun.WriteProtect));
        var c = Assert.Single(s.Connections);
        Assert.Equal("127.0.0.1", c.Address);
    }
}
