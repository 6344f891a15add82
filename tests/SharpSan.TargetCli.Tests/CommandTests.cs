using SharpSan.Control;

namespace SharpSan.TargetCli.Tests;

/// <summary>Messages and tree changes of individual commands, and their errors.</summary>
public sealed class CommandTests
{
    private const string Target = "iqn.2026-11.io.sharpsan:t1";
    private const string Tpg = "/iscsi/" + Target + "/tpg1";

    [Fact]
    public void Fileio_create_new_file_needs_a_size_then_reports_bytes()
    {
        using var h = new ShellHarness();
        var file = Path.Combine(h.Folder, "disk1.img");
        Assert.Equal(["Attempting to create file for new fileio backstore, need a size"], h.Run($"/backstores/fileio create disk1 {file}"));
        Assert.Equal(["Created fileio disk1 with size 1073741824"], h.Run($"/backstores/fileio create disk1 {file} 1G"));
        var so = Assert.Single(h.Client.Current.StorageObjects);
        Assert.Equal((1UL << 30, true, file), (so.Size, so.WriteBack, so.Dev));
        Assert.True(Guid.TryParse(so.Wwn, out _));
        Assert.Equal(["Storage object fileio/disk1 exists"], h.Run($"/backstores/fileio create disk1 {file}2 1G"));
        Assert.Equal([$"storage object for {file} already exists: disk1"], h.Run($"/backstores/fileio create disk2 {file} 1G"));
        var ls = h.Run("ls /backstores/fileio");
        Assert.Contains($"o- disk1 ", ls[1]);
        Assert.EndsWith($"[{file} (1.0GiB) write-back deactivated]", ls[1]);
    }

    [Fact]
    public void Fileio_existing_file_uses_its_size_and_key_value_syntax()
    {
        using var h = new ShellHarness();
        var file = Path.Combine(h.Folder, "old.img");
        File.WriteAllBytes(file, new byte[4096]);
        Assert.Equal([$"{file} exists, using its size (4096 bytes) instead", "Created fileio d with size 4096"],
            h.Run($"/backstores/fileio create name=d file_or_dev={file} size=500M write_back=false"));
        Assert.False(h.Client.Current.StorageObjects[0].WriteBack);
    }

    [Fact]
    public void Ramdisk_and_pscsi_and_size_syntax()
    {
        using var h = new ShellHarness();
        Assert.Equal(["Created ramdisk rd1 with size 1G."], h.Run("/backstores/ramdisk create rd1 1G"));
        Assert.Equal(["Cannot interpret size, wrong format: 1Q"], h.Run("/backstores/ramdisk create rd2 1Q"));
        Assert.Equal(["nullio ramdisks are not supported by SharpSAN"], h.Run("/backstores/ramdisk create rd3 1M nullio=true"));
        Assert.EndsWith("[(1.0GiB) deactivated]", h.Run("ls /backstores/ramdisk")[1]);
        Assert.Equal(["pscsi storage objects are not supported by SharpSAN yet (use block, fileio or ramdisk)"], h.Run("/backstores/pscsi create p1 /dev/sg0"));
        Assert.Equal(["Deleted storage object rd1."], h.Run("/backstores/ramdisk delete rd1"));
        Assert.Equal(["No storage object named rd1."], h.Run("/backstores/ramdisk delete rd1"));
    }

    [Fact]
    public void Target_with_generated_iqn_default_portal_and_tpg_defaults()
    {
        using var h = new ShellHarness();
        var output = h.Run("/iscsi create");
        Assert.Matches(@"^Created target iqn\.2003-01\.org\.linux-iscsi\.server1\.[a-z0-9]+:sn\.[0-9a-f]{12}\.$", output[0]);
        Assert.Equal(["Created TPG 1.", "Global pref auto_add_default_portal=true", "Created default portal listening on all IPs (0.0.0.0), port 3260."], output[1..]);
        var tpg = h.Client.Current.Targets[0].Tpgs[0];
        Assert.True(tpg.Enable);
        Assert.Equal("LIO Target", tpg.Parameters["TargetAlias"]);
        Assert.Equal("8192", tpg.Parameters["MaxRecvDataSegmentLength"]);
        Assert.Equal(21, tpg.Parameters.Count);
        Assert.Equal(64, (int)tpg.ExtraAttributes["default_cmdsn_depth"]!);
        Assert.Equal(15, (int)tpg.ExtraAttributes["login_timeout"]!);
        Assert.True(tpg.DemoModeWriteProtect);
        Assert.Equal(["This Target already exists in configFS"], h.Run($"/iscsi create {h.Client.Current.Targets[0].Wwn}"));
    }

    [Fact]
    public void Acl_with_existing_luns_gets_mapped_luns_and_deletes()
    {
        using var h = Setup();
        Assert.Equal(["Created Node ACL for iqn.2026-11.io.sharpsan:init1", "Created mapped LUN 0."],
            h.Run($"{Tpg}/acls create iqn.2026-11.io.sharpsan:init1"));
        Assert.Equal(["Created Node ACL for iqn.2026-11.io.sharpsan:init2"],
            h.Run($"{Tpg}/acls create iqn.2026-11.io.sharpsan:init2 add_mapped_luns=false"));
        Assert.Equal(["Created Mapped LUN 5."], h.Run($"{Tpg}/acls/iqn.2026-11.io.sharpsan:init2 create mapped_lun=5 tpg_lun_or_backstore=0 write_protect=1"));
        Assert.EndsWith("[lun0 fileio/d1 (ro)]", h.Run($"ls {Tpg}/acls/iqn.2026-11.io.sharpsan:init2")[1]);
        Assert.Equal(["LUN 3 does not exist in this TPG"], h.Run($"{Tpg}/acls/iqn.2026-11.io.sharpsan:init2 create 6 3"));
        Assert.Equal(["Deleted Mapped LUN 5."], h.Run($"{Tpg}/acls/iqn.2026-11.io.sharpsan:init2 delete 5"));
        Assert.Equal(["Deleted Node ACL iqn.2026-11.io.sharpsan:init2."], h.Run($"{Tpg}/acls delete iqn.2026-11.io.sharpsan:init2"));
        Assert.Equal(["This NodeACL already exists in configFS"], h.Run($"{Tpg}/acls create iqn.2026-11.io.sharpsan:init1"));
    }

    [Fact]
    public void Luns_create_by_index_delete_by_name_and_in_use_backstore()
    {
        using var h = Setup();
        Assert.Equal(["lun for storage object fileio/d1 already exists"], h.Run($"{Tpg}/luns create /backstores/fileio/d1"));
        Assert.Equal(["Created ramdisk r with size 1M."], h.Run("/backstores/ramdisk create r 1M"));
        Assert.Equal(["Created LUN 7."], h.Run($"{Tpg}/luns create /backstores/ramdisk/r lun7"));
        Assert.EndsWith("[ramdisk/r (default_tg_pt_gp)]", h.Run($"ls {Tpg}/luns/lun7")[0]);
        Assert.Equal(["storage object or path not valid"], h.Run($"{Tpg}/luns create /backstores/ramdisk/nope"));
        var inUse = h.Run("/backstores/ramdisk delete r");
        Assert.Equal([$"Storage object ramdisk/r is in use by {Tpg}/luns/lun7; delete the LUN first."], inUse);
        Assert.Equal(["Deleted LUN 7."], h.Run($"{Tpg}/luns delete lun7"));
        Assert.Equal(["Invalid LUN"], h.Run($"{Tpg}/luns delete 7"));
        Assert.Equal(["Deleted storage object r."], h.Run("/backstores/ramdisk delete r"));
    }

    [Fact]
    public void Portals_ipv4_ipv6_and_delete()
    {
        using var h = Setup();
        Assert.Equal(["Using default IP port 3260", "Created network portal 127.0.0.1:3260."], h.Run($"{Tpg}/portals create 127.0.0.1"));
        Assert.Equal(["Created network portal ::1:3261."], h.Run($"{Tpg}/portals create ::1 3261"));
        Assert.Contains(h.Run($"ls {Tpg}/portals"), l => l.StartsWith("  o- [::1]:3261 ", StringComparison.Ordinal) && l.EndsWith("[OK]", StringComparison.Ordinal));
        Assert.Equal(["This NetworkPortal already exists in configFS"], h.Run($"{Tpg}/portals create 127.0.0.1 3260"));
        Assert.Equal(["Deleted network portal [::1]:3261"], h.Run($"{Tpg}/portals delete [::1] 3261"));
        Assert.Equal(["Deleted network portal 0.0.0.0:3260"], h.Run($"{Tpg}/portals delete 0.0.0.0 3260"));
        Assert.Equal(["No such NetworkPortal: 0.0.0.0:3260"], h.Run($"{Tpg}/portals delete 0.0.0.0 3260"));
    }

    [Fact]
    public void Daemon_refusal_is_one_line_and_changes_nothing()
    {
        using var h = Setup();
        var before = h.Client.Generation;
        var output = h.Run($"{Tpg}/portals create 300.1.1.1");
        var line = Assert.Single(output);
        Assert.Contains("is not an IPv4 (dotted quad) or IPv6 address literal", line);
        Assert.Equal(before, h.Client.Generation);
        Assert.Single(h.Client.Current.Targets[0].Tpgs[0].Portals);
    }

    [Fact]
    public void Stale_generation_is_refused_with_the_conflict_message()
    {
        using var h = Setup();
        var client = new ConflictingClient(h.Client);
        var shell = new Shell.TargetCliShell(client, h.Prefs, new Shell.ShellOptions { Out = h.Combined, Err = h.Errors });
        Assert.False(shell.RunLineAsync("/backstores/ramdisk create r 1M").GetAwaiter().GetResult());
        Assert.StartsWith("the configuration changed", h.Errors.ToString());
        Assert.DoesNotContain(h.Client.Current.StorageObjects, s => s.Name == "r");
    }

    [Fact]
    public void Tpg_attributes_parameters_and_auth()
    {
        using var h = Setup();
        Assert.Equal(["Parameter authentication is now '1'."], h.Run($"{Tpg} set attribute authentication=1"));
        Assert.True(h.Client.Current.Targets[0].Tpgs[0].Authentication);
        Assert.Equal(["authentication=1 "], h.Run($"{Tpg} get attribute authentication"));
        Assert.Equal(["Unknown parameter nosuch in group 'attribute'."], h.Run($"{Tpg} set attribute nosuch=1"));
        Assert.Equal(["Cannot set attribute login_timeout: not supported by SharpSAN (kept at LIO's default 15)"], h.Run($"{Tpg} set attribute login_timeout=30"));
        Assert.Equal(["Not setting authentication! Syntax error, 'yes' is not a NUMBER."], h.Run($"{Tpg} set attribute authentication=yes"));
        Assert.Equal(["Parameter default_cmdsn_depth is now '32'."], h.Run($"{Tpg} set attribute default_cmdsn_depth=32"));
        Assert.Equal(["default_cmdsn_depth=32 "], h.Run($"{Tpg} get attribute default_cmdsn_depth"));
        Assert.Equal(["Cannot set attribute default_cmdsn_depth: Invalid argument (1 to 512)"], h.Run($"{Tpg} set attribute default_cmdsn_depth=0"));
        var demo = h.Run($"{Tpg} set attribute generate_node_acls=1");
        Assert.Equal("Parameter generate_node_acls is now '1'.", demo[0]);
        Assert.StartsWith("Warning: generate_node_acls=1 with demo_mode_write_protect=1", demo[1]);
        Assert.Equal(["Parameter TargetAlias is now 'disk'."], h.Run($"{Tpg} set parameter TargetAlias=disk"));
        Assert.Equal(["Not setting InitialR2T! Syntax error, 'maybe' is not Yes|No."], h.Run($"{Tpg} set parameter InitialR2T=maybe"));
        Assert.Equal(["Parameter userid is now 'u1'.", "Parameter password is now 'secret123456'."], h.Run($"{Tpg} set auth userid=u1 password=secret123456"));
        Assert.Equal("u1", h.Client.Current.Targets[0].Tpgs[0].ChapUserId);
        Assert.EndsWith("[gen-acls, tpg-auth, 1-way auth]", h.Run($"ls {Tpg} 0")[0]);
        Assert.DoesNotContain(h.Run("ls"), l => l.Contains("secret123456"));
        Assert.Equal(["Unknown configuration group: nosuch"], h.Run($"{Tpg} get nosuch"));
    }

    [Fact]
    public void Discovery_auth_is_set_in_one_change()
    {
        using var h = new ShellHarness();
        Assert.Equal(["Parameter enable is now 'True'.", "Parameter userid is now 'disc'.", "Parameter password is now 'pw'."],
            h.Run("/iscsi set discovery_auth enable=1 userid=disc password=pw"));
        Assert.Equal(["enable=True ", "userid=disc "], h.Run("/iscsi get discovery_auth enable userid"));
        Assert.EndsWith("[1-way disc auth, Targets: 0]", h.Run("ls /iscsi")[0]);
        var refused = h.Run("/iscsi set discovery_auth userid= password=");
        Assert.Contains("discovery_enable_auth is set but no discovery_userid", Assert.Single(refused));
    }

    [Fact]
    public void Navigation_errors_and_unsupported_commands()
    {
        using var h = new ShellHarness();
        Assert.Equal(["No such path /x"], h.Run("/x ls"));
        Assert.Equal(["No such path /backstores/nope"], h.Run("cd /backstores/nope"));
        Assert.Equal(["Command not found nope"], h.Run("nope"));
        Assert.Equal(["Command not found create"], h.Run("/backstores create x"));
        Assert.Equal(["Missing required parameters 'name', 'size'"], h.Run("/backstores/ramdisk create"));
        Assert.Equal(["Missing required parameter size"], h.Run("/backstores/ramdisk create r"));
        Assert.Equal(["Unexpected keyword parameter 'colour'."], h.Run("/backstores/ramdisk create r 1M colour=red"));
        Assert.Equal(["The loopback fabric is not supported by SharpSAN (iSCSI only)."], h.Run("/loopback create"));
        Assert.Equal(["As a precaution, confirm=True needs to be set"], h.Run("clearconfig"));
        Assert.Equal(["The tree depth must be a number."], h.Run("ls / x"));
    }

    [Fact]
    public void Cd_dotdot_dash_bookmarks_and_prompt()
    {
        using var h = Setup();
        h.Run($"cd {Tpg}/luns");
        Assert.Equal("/iscsi/iqn.20...:t1/tpg1/luns> ", h.Shell.Prompt);
        h.Run("cd ..");
        Assert.Equal(Tpg, h.Shell.CurrentPath);
        h.Run("portals");
        Assert.Equal(Tpg, h.Shell.CurrentPath);
        h.Run("portals/");
        Assert.Equal(Tpg + "/portals", h.Shell.CurrentPath);
        h.Run("cd -");
        Assert.Equal(Tpg, h.Shell.CurrentPath);
        Assert.Equal([$"Bookmarked {Tpg} as t."], h.Run("bookmarks add t"));
        h.Run("cd /");
        Assert.Equal("/> ", h.Shell.Prompt);
        h.Run("cd @t");
        Assert.Equal(Tpg, h.Shell.CurrentPath);
        Assert.Equal(["No such bookmark nope"], h.Run("cd @nope"));
        Assert.Equal([Tpg], h.Run("pwd"));
        // Deleting the node you are in moves you to its nearest existing parent.
        h.Run($"/iscsi delete {Target}");
        Assert.Equal(["/iscsi"], h.Run("pwd"));
    }

    [Fact]
    public void Status_info_help_version()
    {
        using var h = Setup();
        Assert.Equal([$"Status for {Tpg}: no-gen-acls, no-auth"], h.Run($"{Tpg} status"));
        Assert.Contains("plugin: fileio", h.Run("/backstores/fileio/d1 info"));
        Assert.Contains("  - saveconfig [savefile]", h.Run("help"));
        Assert.Equal(["Cannot find help topic nope."], h.Run("help nope"));
        Assert.Equal([$"targetcli version {Shell.TargetCliShell.Version}"], h.Run("version"));
    }

    [Fact]
    public void Sessions_list_detail_and_none()
    {
        using var h = Setup();
        Assert.Equal(["(no open sessions)"], h.Run("sessions"));
        h.Client.Sessions.Add(new SessionInfo(Target, 1, "iqn.2026-11.io.sharpsan:init1", "client1", 3, "400001370000", "Normal", "LOGGED_IN", false,
            [new SessionLunInfo(0, "/backstores/fileio/d1", false)], [new ConnectionInfo(0, "127.0.0.1", "LOGGED_IN")]));
        Assert.Equal(["alias: client1\tsid: 3 type: Normal session-state: LOGGED_IN"], h.Run("sessions list"));
        Assert.Equal([
            "alias: client1\tsid: 3 type: Normal session-state: LOGGED_IN",
            "    name: iqn.2026-11.io.sharpsan:init1 (NOT AUTHENTICATED)",
            "    mapped-lun: 0 backstore: fileio/d1 mode: rw",
            "    address: 127.0.0.1 (IPv4)  cid: 0 connection-state: LOGGED_IN",
        ], h.Run("sessions detail 3"));
        Assert.Equal(["no session found with sid 9"], h.Run("sessions detail 9"));
        Assert.Equal(["action must be one of: list, detail"], h.Run("sessions show"));
    }

    [Fact]
    public void Save_clear_restore_round_trip()
    {
        using var h = Setup();
        h.Run($"{Tpg}/acls create iqn.2026-11.io.sharpsan:init1");
        var before = Config.SaveConfigWriter.Serialize(h.Client.Current);
        var file = Path.Combine(h.Folder, "backup.json");
        Assert.Equal([$"Configuration saved to {file}"], h.Run($"saveconfig {file}"));
        Assert.Equal(["All configuration cleared"], h.Run("clearconfig confirm=True"));
        Assert.Empty(h.Client.Current.Targets);
        Assert.Equal([$"Configuration restored from {file}"], h.Run($"restoreconfig {file}"));
        Assert.Equal(before, Config.SaveConfigWriter.Serialize(h.Client.Current));
        Assert.Equal(["storageobject 'fileio:d1' exist not restoring"], h.Run($"restoreconfig {file}"));
        Assert.Equal([$"Configuration restored from {file}"], h.Run($"restoreconfig {file} clear_existing=true"));
        Assert.Equal(before, Config.SaveConfigWriter.Serialize(h.Client.Current));
        Assert.Equal([$"Restore file {h.Folder}/nope.json not found"], h.Run("restoreconfig nope.json"));
    }

    [Fact]
    public void Auto_cd_after_create()
    {
        using var h = new ShellHarness();
        h.Prefs.Set("auto_cd_after_create", "true");
        var output = h.Run($"/iscsi create {Target}");
        Assert.Equal($"Entering new node {Tpg}", output[^1]);
        Assert.Equal(Tpg, h.Shell.CurrentPath);
    }

    internal static ShellHarness Setup()
    {
        var h = new ShellHarness();
        var file = Path.Combine(h.Folder, "d1.img");
        h.Run($"/backstores/fileio create d1 {file} 1M", $"/iscsi create {Target}", $"{Tpg}/luns create /backstores/fileio/d1");
        Assert.Empty(h.Errors.ToString());
        return h;
    }

    private sealed class ConflictingClient(InMemoryControlClient inner) : IControlClient
    {
        public async Task<ConfigSnapshot> GetConfigAsync(CancellationToken cancellationToken = default)
        {
            var snapshot = await inner.GetConfigAsync(cancellationToken);
            inner.BumpGeneration();
            return snapshot;
        }
        public Task<long> PutConfigAsync(Config.SanConfig config, long expectedGeneration, CancellationToken cancellationToken = default) => inner.PutConfigAsync(config, expectedGeneration, cancellationToken);
        public Task<string> SaveConfigAsync(string? path = null, CancellationToken cancellationToken = default) => inner.SaveConfigAsync(path, cancellationToken);
        public Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(CancellationToken cancellationToken = default) => inner.GetSessionsAsync(cancellationToken);
        public Task<IReadOnlyList<LunStatisticsInfo>> GetStatisticsAsync(CancellationToken cancellationToken = default) => inner.GetStatisticsAsync(cancellationToken);
        public Task CloseConnectionAsync(ushort tsih, ushort cid, CancellationToken cancellationToken = default) => inner.CloseConnectionAsync(tsih, cid, cancellationToken);
    }
}
