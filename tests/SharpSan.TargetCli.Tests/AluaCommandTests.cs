namespace SharpSan.TargetCli.Tests;

/// <summary>ALUA target port groups in targetcli (targetcli-fb's ui_backstore.py UIALUATargetPortGroups
/// and UIALUATargetPortGroup, the LUN's "alua" group): transcript and errors.</summary>
public sealed class AluaCommandTests
{
    private static readonly Dictionary<string, ulong> Devices = new() { ["/dev/sdb"] = 1UL << 30 };

    [Fact]
    public void Transcript_alua_groups_create_set_ls_lun_membership_delete()
    {
        using var h = new ShellHarness(width: 80, devices: Devices);
        foreach (var (command, expected) in TranscriptTests.Load("alua.txt"))
            Assert.Equal(string.Join("\n", expected), string.Join("\n", h.Run(command)));
        Assert.Equal("ALUA target port group nope does not exist on /backstores/block/disk1", h.Errors.ToString().Trim());
        var so = Assert.Single(h.Client.Current.StorageObjects);
        var left = Assert.Single(so.AluaGroups, g => g.Name == "left");
        Assert.Equal((1, 1, 3, true, 250), (left.TgPtGpId, left.AluaAccessState, left.AluaAccessType, left.Preferred, left.TransDelayMsecs));
    }

    [Fact]
    public void Errors_are_refused_with_targetcli_fbs_messages()
    {
        using var h = new ShellHarness(devices: Devices);
        h.Run("/backstores/block create disk1 /dev/sdb");
        const string Alua = "/backstores/block/disk1/alua";
        Assert.Equal(["The TPG Tag must be between 1 and 65535"], h.Run($"{Alua} create left 0"));
        Assert.Equal(["Created ALUA TPG left."], h.Run($"{Alua} create left 1"));
        Assert.Equal(["ALUA TPG left already exists"], h.Run($"{Alua} create left 2"));
        Assert.Equal(["Cannot set id to 1: tg_pt_gp_id is already used by left"], h.Run($"{Alua} create right 1"));
        Assert.Equal(["Can not delete default_tg_pt_gp"], h.Run($"{Alua} delete default_tg_pt_gp"));
        Assert.Equal(["Invalid ALUA group name"], h.Run($"{Alua} delete nope"));
        Assert.Equal(["Cannot change ALUA state: 4 is not a supported ALUA state (0, 1, 2, 3, 14, 15)"], h.Run($"{Alua}/left set alua alua_access_state=4"));
        Assert.Equal(["Not setting preferred! Syntax error, 'x' is not a NUMBER."], h.Run($"{Alua}/left set alua preferred=x"));
        Assert.Equal(["Parameter tg_pt_gp_id is read-only."], h.Run($"{Alua}/left set alua tg_pt_gp_id=3"));
        // The daemon refuses a state the group does not support (LIO's configfs does).
        var refused = h.Run($"{Alua}/left set alua alua_support_standby=0 alua_access_state=2");
        Assert.Contains("not supported by the group", Assert.Single(refused));
        Assert.Equal(0, h.Client.Current.StorageObjects[0].AluaGroups[0].AluaAccessState);
    }

    [Fact]
    public void Deleting_a_group_puts_its_luns_back_in_the_default_group()
    {
        using var h = new ShellHarness(devices: Devices);
        h.Run("/backstores/block create disk1 /dev/sdb", "/iscsi create iqn.2026-11.io.sharpsan:t1",
            "/backstores/block/disk1/alua create left 1", "/iscsi/iqn.2026-11.io.sharpsan:t1/tpg1/luns create /backstores/block/disk1");
        Assert.Equal(["Parameter alua_tg_pt_gp_name is now 'left'."], h.Run("/iscsi/iqn.2026-11.io.sharpsan:t1/tpg1/luns/lun0 set alua alua_tg_pt_gp_name=left"));
        Assert.Empty(h.Run("/backstores/block/disk1/alua delete left"));
        Assert.Equal("default_tg_pt_gp", h.Client.Current.Targets[0].Tpgs[0].Luns[0].AluaTgPtGp);
    }
}
