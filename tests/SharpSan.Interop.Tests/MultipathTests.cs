using SharpSan.Config;

namespace SharpSan.Interop.Tests;

/// <summary>
/// One fileio LU exported through two TPGs of one target (two portals, two ALUA target port groups):
/// libiscsi's MultipathIO suite over both paths, the same LU identity on both (what dm-multipath
/// groups paths by), and a group's state changed live with targetcli reaching the initiator.
/// </summary>
public sealed class MultipathTests : IDisposable
{
    private const string Target = "iqn.2026-11.io.sharpsan.test:multipath";
    private readonly TempDirectory _temp = new(prefix: "sharpsan-multipath-");
    private readonly int _port1 = FreePort.Next();
    private readonly int _port2 = FreePort.Next();
    private readonly TargetProcess _target;

    public MultipathTests()
    {
        Tool.Require("iscsi-test-cu");
        var c = new SanConfig();
        var disk = Path.Combine(_temp.Path, "disk1.img");
        using (var f = new FileStream(disk, FileMode.CreateNew)) f.SetLength(64 << 20);
        var so = new StorageObjectConfig { Plugin = "fileio", Name = "disk1", Dev = disk, Size = 64 << 20, Wwn = "4c0a1b2c-3d4e-4f50-8a61-72839405a6b7" };
        so.AluaGroups.Add(new AluaGroupConfig { Name = "left", TgPtGpId = 1, Preferred = true });
        so.AluaGroups.Add(new AluaGroupConfig { Name = "right", TgPtGpId = 2, AluaAccessState = 1 });
        c.StorageObjects.Add(so);
        var t = new TargetConfig { Wwn = Target };
        foreach (var (tag, port, group) in new[] { ((ushort)1, _port1, "left"), ((ushort)2, _port2, "right") })
        {
            var tpg = new TpgConfig { Tag = tag, GenerateNodeAcls = true, DemoModeWriteProtect = false };
            tpg.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = port });
            tpg.Luns.Add(new LunConfig { Index = 0, StorageObject = so.Path, AluaTgPtGp = group });
            t.Tpgs.Add(tpg);
        }
        c.Targets.Add(t);
        _target = TargetProcess.Start(c, _temp.Path, _port1);
    }

    public void Dispose()
    {
        _target.Dispose();
        _temp.Dispose();
    }

    private string Url(int port) => $"iscsi://127.0.0.1:{port}/{Target}/0";

    [Fact]
    public void Libiscsi_multipath_suite_passes_over_both_paths()
    {
        var r = Tool.Run("iscsi-test-cu", new[] { "-d", "-t", "SCSI.MultipathIO", Url(_port1), Url(_port2) }, TimeSpan.FromMinutes(5));
        Assert.True(r.ExitCode == 0, r.Output);
        // Simple writes through one path and reads through the other; Reset wants the LUN reset's unit
        // attention on every path; CompareAndWrite and CompareAndWriteAsync race COMPARE AND WRITE
        // through both paths (the atomic gate is per logical unit, not per path).
        Assert.Contains("Test: Simple ...passed", r.Output);
        Assert.Contains("Test: Reset ...passed", r.Output);
        Assert.DoesNotContain("FAILED", r.Output);
        Assert.Matches(@"tests\s+4\s+4\s+4\s+0", r.Output);
    }

    [Fact]
    public void Both_paths_report_the_same_lu_identity_and_their_own_port()
    {
        Tool.Require("iscsi-inq");
        string Page(int port, string page) => Tool.Run("iscsi-inq", "-e", "1", "-c", page, Url(port)).Stdout;
        Assert.Contains("4c0a1b2c-3d4e-4f50-8a61-72839405a6b7", Page(_port1, "128"));
        Assert.Equal(Page(_port1, "128"), Page(_port2, "128"));
        string one = Page(_port1, "131"), two = Page(_port2, "131");
        Assert.Contains("Designator:[SHARPSAN4c0a1b2c-3d4e-4f50-8a61-72839405a6b7]", one);
        Assert.Contains("Designator:[SHARPSAN4c0a1b2c-3d4e-4f50-8a61-72839405a6b7]", two);
        Assert.Contains($"Designator:[{Target},t,0x0001]", one);
        Assert.Contains($"Designator:[{Target},t,0x0002]", two);
        // The binary NAA designator libiscsi does not print: iscsi-test-cu compares it across paths.
        var r = Tool.Run("iscsi-test-cu", new[] { "-d", "-V", "-t", "SCSI.MultipathIO.Simple", Url(_port1), Url(_port2) }, TimeSpan.FromMinutes(2));
        Assert.Contains("found matching LU device identifier for all (2) paths", r.Output);
    }

    [Fact]
    public void A_group_set_to_standby_with_targetcli_refuses_media_commands_on_its_path_only()
    {
        Tool.Require("iscsi-readcapacity16");
        Assert.Equal(0, Tool.Run("iscsi-readcapacity16", Url(_port2)).ExitCode);
        var cli = Tool.Run("env", $"SHARPSAN_TARGETCLI_HOME={Path.Combine(_temp.Path, "home")}", Path.Combine(Repo.Root, "out", "bin", "targetcli"),
            "--socket", _target.ControlSocket, "/backstores/fileio/disk1/alua/right", "set", "alua", "alua_access_state=2");
        Assert.True(cli.ExitCode == 0, cli.Output);
        var refused = Tool.Run("iscsi-readcapacity16", Url(_port2));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("0x040b", refused.Output); // NOT READY, TARGET PORT IN STANDBY STATE
        Assert.Equal(0, Tool.Run("iscsi-readcapacity16", Url(_port1)).ExitCode);
        var saved = Tool.Run("env", $"SHARPSAN_TARGETCLI_HOME={Path.Combine(_temp.Path, "home")}", Path.Combine(Repo.Root, "out", "bin", "targetcli"),
            "--socket", _target.ControlSocket, "ls", "/backstores/fileio/disk1/alua");
        Assert.Contains("[ALUA state: Standby]", saved.Output);
    }
}
