using System.Net;

namespace SharpSan.Config.Tests.Iet;

/// <summary>An IET configuration through saveconfig.json and back, and the import into an existing one.</summary>
public sealed class IetdImportTests : IDisposable
{
    private readonly IetFiles _f = new();

    public void Dispose() => _f.Dispose();

    private string FullConf => $"""
        IncomingUser joe secretsecret1
        OutgoingUser jack 12charsecret
        Target {IetFiles.Iqn}
            IncomingUser jim othersecret
            OutgoingUser james yetanothersecret
            Lun 0 Path={_f.Disk},Type=fileio,IOMode=wb,ScsiId=xyz,ScsiSN=sn1
            Lun 1 Path={_f.Disk},Type=fileio,IOMode=ro
            Alias Test
            HeaderDigest CRC32C
            MaxBurstLength 131072
            QueuedCommands 16
        """;

    [Fact]
    public void Round_trip_through_saveconfig_json_keeps_everything()
    {
        _f.Write("initiators.allow", $"{IetFiles.Iqn} 10.0.0.0/8, iqn.1994-05.com.redhat:host1\n");
        _f.Write("initiators.deny", $"{IetFiles.Iqn} 127.0.0.1\n");
        var config = _f.Load(FullConf).Config;
        var path = _f.File("saveconfig.json");
        SaveConfigWriter.Save(config, path);
        var back = SaveConfigReader.Load(path);
        Assert.Equal(SaveConfigWriter.Serialize(config), SaveConfigWriter.Serialize(back));

        var t = back.Targets[0].Tgt!;
        Assert.Equal((1, false, "james"), (t.Tid, t.ControllerLun, t.OutgoingUser));
        Assert.Equal(["10.0.0.0/8"], t.InitiatorAddresses);
        Assert.Equal(["iqn.1994-05.com.redhat:host1"], t.InitiatorNames);
        Assert.Equal(["127.0.0.1"], t.DeniedAddresses);
        Assert.False(t.Admits(IPAddress.Loopback, "iqn.x"));
        Assert.True(t.Admits(IPAddress.Parse("192.168.0.1"), "iqn.x"));
        Assert.Equal("joe", back.DiscoveryAuth.UserId);
        Assert.Equal(16, LioAttributes.DefaultCmdsnDepth.ValueIn(back.Targets[0].Tpgs[0].ExtraAttributes));
        Assert.Equal(["IET     xyz", ""], back.StorageObjects.Select(s => s.Device.ScsiId));
        Assert.Equal([false, true], back.StorageObjects.Select(s => s.Device.Readonly));
        if (OperatingSystem.IsLinux())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Deny_lists_are_written_only_when_there_are_some()
    {
        var json = SaveConfigWriter.Serialize(_f.Load($"Target {IetFiles.Iqn}\n").Config);
        Assert.DoesNotContain("denied_", json);
    }

    [Fact]
    public void Import_adds_to_an_existing_configuration_after_its_tgt_targets()
    {
        var existing = new SanConfig();
        var lio = new TargetConfig { Wwn = "iqn.2003-01.org.linux-iscsi.host:lio" };
        lio.Tpgs.Add(new TpgConfig());
        var tgt = new TargetConfig { Wwn = "iqn.2003-01.org.linux-iscsi.host:tgt", Tgt = new TgtTargetConfig { Tid = 4 } };
        tgt.Tpgs.Add(new TpgConfig());
        existing.Targets.AddRange([lio, tgt]);
        existing.Tgt.Accounts.Add(new TgtAccountConfig { User = "jim", Password = "othersecret" });
        Assert.Equal(5, IetdImport.NextTid(existing));

        var iet = _f.Load(FullConf, IetdImport.NextTid(existing)).Config;
        IetdImport.Merge(existing, iet, "saveconfig.json");
        ConfigValidator.Validate(existing);
        Assert.Equal(["iqn.2003-01.org.linux-iscsi.host:lio", "iqn.2003-01.org.linux-iscsi.host:tgt", IetFiles.Iqn], existing.Targets.Select(t => t.Wwn));
        Assert.Equal(5, existing.Targets[2].Tgt!.Tid);
        Assert.Equal(["iet5_lun0", "iet5_lun1"], existing.StorageObjects.Select(s => s.Name));
        Assert.Equal(["jim", "james"], existing.Tgt.Accounts.Select(a => a.User));
        Assert.True(existing.DiscoveryAuth.Enable);
    }

    [Fact]
    public void Import_conflicts_change_nothing()
    {
        var iet = _f.Load(FullConf).Config;
        var again = _f.Load(FullConf).Config;
        var existing = new SanConfig();
        IetdImport.Merge(existing, iet, "saveconfig.json");
        var before = SaveConfigWriter.Serialize(existing);
        var e = Assert.Throws<ConfigException>(() => IetdImport.Merge(existing, again, "saveconfig.json"));
        Assert.Equal($"saveconfig.json: target {IetFiles.Iqn} is already there; delete it first (targetcli /iscsi delete {IetFiles.Iqn}) to import it again", e.Message);
        Assert.Equal(before, SaveConfigWriter.Serialize(existing));

        var other = new SanConfig();
        other.Tgt.Accounts.Add(new TgtAccountConfig { User = "jim", Password = "different123" });
        e = Assert.Throws<ConfigException>(() => IetdImport.Merge(other, _f.Load(FullConf).Config, "saveconfig.json"));
        Assert.Contains("CHAP user jim is already there with another secret", e.Message);
        Assert.Empty(other.Targets);

        var discovery = new SanConfig { DiscoveryAuth = new DiscoveryAuthConfig { Enable = true, UserId = "ann", Password = "annsecret123" } };
        e = Assert.Throws<ConfigException>(() => IetdImport.Merge(discovery, _f.Load(FullConf).Config, "saveconfig.json"));
        Assert.Contains("discovery authentication is already set up (user ann)", e.Message);
    }
}
