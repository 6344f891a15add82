using System.Net;
using SharpSan.Config;
using SharpSan.Target.Runtime;

namespace SharpSan.Daemon.Tests;

/// <summary>The tree and its units become the target's topology; LIO attributes become TPG and ACL settings.</summary>
public sealed class TopologyBuilderTests : IAsyncLifetime
{
    private const string Initiator = "iqn.1994-05.com.redhat:client";
    private readonly SanConfig _config = new();
    private LogicalUnitSet? _units;

    public TopologyBuilderTests()
    {
        _config.StorageObjects.Add(Fixtures.Ramdisk("rd1"));
        _config.StorageObjects.Add(Fixtures.Ramdisk("rd2", wwn: "6a0b1c2d-0000-4000-8000-0000000000ab"));
        var tpg = new TpgConfig { Tag = 3, GenerateNodeAcls = false };
        tpg.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = 3260 });
        tpg.Luns.Add(new LunConfig { Index = 0, StorageObject = "/backstores/ramdisk/rd1" });
        tpg.Luns.Add(new LunConfig { Index = 4, StorageObject = "/backstores/ramdisk/rd2" });
        var acl = new NodeAclConfig { NodeWwn = Initiator };
        acl.MappedLuns.Add(new MappedLunConfig { Index = 1, TpgLun = 4, WriteProtect = true });
        tpg.NodeAcls.Add(acl);
        var target = new TargetConfig { Wwn = Fixtures.Target1 };
        target.Tpgs.Add(tpg);
        _config.Targets.Add(target);
    }

    private TpgConfig TpgConfig => _config.Targets[0].Tpgs[0];
    private NodeAclConfig AclConfig => TpgConfig.NodeAcls[0];

    public async ValueTask InitializeAsync() => _units = await LogicalUnitSet.OpenAsync(_config, previous: null);

    public async ValueTask DisposeAsync()
    {
        if (_units is not null) await _units.CloseAllAsync();
    }

    private TargetTopology Build() => TopologyBuilder.Build(_config, _units!);

    private TargetPortalGroup Tpg() => Assert.Single(Build().Targets[Fixtures.Target1].Tpgs);

    [Fact]
    public void Targets_tpgs_portals_luns_and_acls_are_carried_over()
    {
        var topology = Build();

        var node = Assert.Single(topology.Targets.Values);
        Assert.Equal(Fixtures.Target1, node.Name);
        var tpg = Assert.Single(node.Tpgs);
        Assert.Same(node, tpg.Target);
        Assert.Equal(3, tpg.Tag);
        Assert.True(tpg.Enabled);
        Assert.False(tpg.GenerateNodeAcls);
        Assert.Equal([new IPEndPoint(IPAddress.Loopback, 3260)], tpg.Portals);
        Assert.Same(_units!.Units["/backstores/ramdisk/rd1"].Unit, tpg.Luns[0]);
        Assert.Same(_units.Units["/backstores/ramdisk/rd2"].Unit, tpg.Luns[4]);
        var acl = tpg.Acls[Initiator];
        Assert.Equal(Initiator, acl.InitiatorName);
        Assert.Null(acl.Chap);
        Assert.Equal([new MappedLun(1, 4, true)], acl.MappedLuns);
    }

    [Fact]
    public void Tpg_flags_parameters_and_chap_are_carried_over()
    {
        TpgConfig.Enable = false;
        TpgConfig.Authentication = true;
        TpgConfig.GenerateNodeAcls = true;
        TpgConfig.DemoModeWriteProtect = false;
        TpgConfig.ChapUserId = "tpguser";
        TpgConfig.ChapPassword = "tpgsecret12345";
        TpgConfig.Parameters["MaxRecvDataSegmentLength"] = "65536";
        AclConfig.ChapUserId = "acluser";
        AclConfig.ChapPassword = "aclsecret12345";
        AclConfig.ChapMutualUserId = "target";
        AclConfig.ChapMutualPassword = "mutualsecret123";

        var tpg = Tpg();

        Assert.False(tpg.Enabled);
        Assert.True(tpg.AuthenticationRequired);
        Assert.True(tpg.GenerateNodeAcls);
        Assert.False(tpg.DemoModeWriteProtect);
        Assert.Equal("65536", tpg.Parameters["MaxRecvDataSegmentLength"]);
        Assert.Equal(("tpguser", "tpgsecret12345", false), (tpg.DemoChap!.UserId, tpg.DemoChap.Secret, tpg.DemoChap.HasMutual));
        var chap = tpg.Acls[Initiator].Chap!;
        Assert.Equal(("acluser", "aclsecret12345", "target", "mutualsecret123"), (chap.UserId, chap.Secret, chap.MutualUserId, chap.MutualSecret));
    }

    [Fact]
    public void Absent_attributes_take_lios_defaults_and_the_daemons_window()
    {
        var tpg = Tpg();

        Assert.Equal(0, tpg.CommandWindow); // 0: TargetOptions.CommandWindow applies
        Assert.False(tpg.ProdModeWriteProtect); // LIO default 0
        Assert.True(tpg.DemoModeDiscovery); // LIO default 1
        Assert.Null(tpg.DemoChap);
        var acl = tpg.Acls[Initiator];
        Assert.Null(acl.NopInInterval);
        Assert.Null(acl.NopInTimeout);
    }

    [Fact]
    public void Default_cmdsn_depth_is_the_tpgs_command_window()
    {
        TpgConfig.ExtraAttributes[LioAttributes.DefaultCmdsnDepth.Name] = 32;

        Assert.Equal(32, Tpg().CommandWindow);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    public void Prod_mode_write_protect_maps(int value, bool expected)
    {
        TpgConfig.ExtraAttributes[LioAttributes.ProdModeWriteProtect.Name] = value;

        Assert.Equal(expected, Tpg().ProdModeWriteProtect);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    public void Demo_mode_discovery_maps(int value, bool expected)
    {
        TpgConfig.ExtraAttributes[LioAttributes.DemoModeDiscovery.Name] = value;

        Assert.Equal(expected, Tpg().DemoModeDiscovery);
    }

    [Fact]
    public void Nopin_timeout_and_nopin_response_timeout_are_the_acls_ping_interval_and_timeout()
    {
        AclConfig.ExtraAttributes[LioAttributes.NopInTimeout.Name] = 5;
        AclConfig.ExtraAttributes[LioAttributes.NopInResponseTimeout.Name] = 12;

        var acl = Tpg().Acls[Initiator];

        Assert.Equal(TimeSpan.FromSeconds(5), acl.NopInInterval);
        Assert.Equal(TimeSpan.FromSeconds(12), acl.NopInTimeout);
    }

    [Fact]
    public void No_discovery_credentials_mean_no_discovery_chap()
    {
        var topology = Build();

        Assert.Null(topology.DiscoveryChap);
        Assert.False(topology.DiscoveryAuthRequired);
    }

    [Fact]
    public void Discovery_auth_becomes_the_topologys_discovery_chap()
    {
        _config.DiscoveryAuth = new DiscoveryAuthConfig
        {
            Enable = true, UserId = "discuser", Password = "discsecret1234", MutualUserId = "disctarget", MutualPassword = "discmutual1234",
        };

        var topology = Build();

        Assert.True(topology.DiscoveryAuthRequired);
        var chap = topology.DiscoveryChap!;
        Assert.Equal(("discuser", "discsecret1234", "disctarget", "discmutual1234"), (chap.UserId, chap.Secret, chap.MutualUserId, chap.MutualSecret));
    }

    [Fact]
    public void Discovery_credentials_without_enable_are_kept_but_not_required()
    {
        _config.DiscoveryAuth = new DiscoveryAuthConfig { Enable = false, UserId = "discuser", Password = "discsecret1234" };

        var topology = Build();

        Assert.False(topology.DiscoveryAuthRequired);
        Assert.Equal("discuser", topology.DiscoveryChap!.UserId);
    }

    [Fact]
    public void An_ipv6_portal_in_brackets_is_parsed()
    {
        TpgConfig.Portals[0].IpAddress = "[::1]";

        Assert.Equal([new IPEndPoint(IPAddress.IPv6Loopback, 3260)], Tpg().Portals);
    }

    [Fact]
    public void A_lun_on_a_storage_object_that_was_not_opened_is_refused_naming_it()
    {
        TpgConfig.Luns.Add(new LunConfig { Index = 9, StorageObject = "/backstores/ramdisk/nope" });

        var ex = Assert.Throws<InvalidOperationException>(() => Build());

        Assert.Contains("/backstores/ramdisk/nope", ex.Message);
        Assert.Contains("LUN 9", ex.Message);
    }
}
