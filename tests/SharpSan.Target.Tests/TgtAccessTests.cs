using SharpSan.Config;
using SharpSan.Protocol;
using SharpSan.Scsi;
using static SharpSan.Target.Tests.TestInitiator;

namespace SharpSan.Target.Tests;

/// <summary>
/// tgt targets follow tgt's access rules, not LIO's node ACLs (tgt usr/iscsi/iscsid.c login_start,
/// usr/iscsi/target.c ip_acl/iqn_acl/target_list_build): an address OR a name entry lets an
/// initiator in and shows it the target; an offline target refuses logins (Target Error) and answers
/// BUSY; incoming CHAP accepts any bound account.
/// </summary>
public sealed class TgtAccessTests
{
    private const string Tgt = "iqn.2001-04.com.example:storage.disk1";
    private const string Stranger = "iqn.2025-01.org.sharpsan.test:stranger";

    private static TargetConfig AddTgtTarget(SanConfig cfg, int port, params string[] addresses)
    {
        var t = TargetHarness.AddTarget(cfg, Tgt, port);
        t.Tgt = new TgtTargetConfig { Tid = 1 };
        t.Tgt.InitiatorAddresses.AddRange(addresses);
        return t;
    }

    private static List<string> Discovered(TargetHarness h, string initiator = DefaultInitiator)
    {
        using var c = h.Connect();
        Assert.Equal(0, c.LoginDiscovery(initiator).LoginStatus);
        return c.Text(Kv("SendTargets=All")).KeyList.Where(k => k.Key == "TargetName").Select(k => k.Value).ToList();
    }

    private static ushort Login(TargetHarness h, string initiator = DefaultInitiator)
    {
        using var c = h.Connect();
        return c.Login(initiator, Tgt, digests: false);
    }

    [Fact]
    public async Task NewTarget_WithoutBind_IsHiddenAndRefused()
    {
        await using var h = await TestTarget.StartAsync((cfg, port) => AddTgtTarget(cfg, port));
        Assert.DoesNotContain(Tgt, Discovered(h));
        Assert.Equal((ushort)LoginStatus.NotFound, Login(h));
    }

    [Theory]
    [InlineData("ALL")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.0/8")]
    [InlineData("127.1.2.3/8")]
    public async Task MatchingAddress_ListsAndLetsIn(string rule)
    {
        await using var h = await TestTarget.StartAsync((cfg, port) => AddTgtTarget(cfg, port, rule));
        Assert.Contains(Tgt, Discovered(h));
        Assert.Equal(0, Login(h));
    }

    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("192.168.56.1")]
    [InlineData("[::1]")]
    public async Task OtherAddress_HidesAndRefuses(string rule)
    {
        await using var h = await TestTarget.StartAsync((cfg, port) => AddTgtTarget(cfg, port, rule));
        Assert.DoesNotContain(Tgt, Discovered(h));
        Assert.Equal((ushort)LoginStatus.NotFound, Login(h));
    }

    [Fact]
    public async Task NameEntry_LetsThatInitiatorIn_WhateverItsAddress()
    {
        await using var h = await TestTarget.StartAsync((cfg, port) => AddTgtTarget(cfg, port, "10.9.9.9").Tgt!.InitiatorNames.Add(DefaultInitiator));
        Assert.Contains(Tgt, Discovered(h));
        Assert.Equal(0, Login(h));
        Assert.DoesNotContain(Tgt, Discovered(h, Stranger));
        Assert.Equal((ushort)LoginStatus.NotFound, Login(h, Stranger));
    }

    [Fact]
    public async Task OfflineTarget_RefusesLogins_AndAnswersBusy()
    {
        await using var h = await TestTarget.StartAsync((cfg, port) =>
            AddTgtTarget(cfg, port, "ALL").Tpgs[0].Luns.Add(new LunConfig { Index = 1, StorageObject = cfg.StorageObjects[0].Path }));
        using var c = h.Connect();
        Assert.Equal(0, c.Login(DefaultInitiator, Tgt, digests: false));
        Assert.Equal((byte)ScsiStatus.Good, c.Command(TestUnitReady, lun: 1).ScsiResponse.Status);

        var offline = SaveConfigReader.Parse(SaveConfigWriter.Serialize(h.Server.Config));
        offline.Targets.Single(t => t.Wwn == Tgt).Tgt!.State = TgtSystemConfig.Offline;
        await h.Server.ApplyAsync(offline);

        Assert.Equal((byte)ScsiStatus.Busy, c.Command(TestUnitReady, lun: 1).ScsiResponse.Status);
        Assert.Equal((ushort)LoginStatus.TargetError, Login(h));
        Assert.Contains(Tgt, Discovered(h)); // tgt lists targets whatever their state
    }

    [Fact]
    public async Task OfflineSystem_RefusesLoginsToTgtTargets_Only()
    {
        await using var h = await TestTarget.StartAsync((cfg, port) =>
        {
            AddTgtTarget(cfg, port, "ALL");
            cfg.Tgt.State = TgtSystemConfig.Offline;
        });
        Assert.Equal((ushort)LoginStatus.ServiceUnavailable, Login(h));
        using var lio = h.Connect();
        Assert.Equal(0, lio.Login(DefaultInitiator, TargetHarness.Target1, digests: false));
    }

    [Fact]
    public async Task IncomingAccounts_AnyBoundAccountAuthenticates_OutgoingAnswersMutual()
    {
        await using var h = await TestTarget.StartAsync((cfg, port) =>
        {
            var t = AddTgtTarget(cfg, port, "ALL");
            cfg.Tgt.Accounts.Add(new TgtAccountConfig { User = "alice", Password = "alice-secret-1" });
            cfg.Tgt.Accounts.Add(new TgtAccountConfig { User = "bob", Password = "bob-secret-123" });
            cfg.Tgt.Accounts.Add(new TgtAccountConfig { User = "target", Password = "target-secret" });
            t.Tgt!.IncomingUsers.AddRange(["alice", "bob"]);
            t.Tgt.OutgoingUser = "target";
        });
        // CHAP is required once an incoming account is bound.
        Assert.Equal((ushort)LoginStatus.AuthenticationFailure, Login(h));
        using (var c = h.Connect())
            Assert.Equal(0, c.LoginChap(Tgt, "bob", "bob-secret-123").LoginStatus);
        using (var c = h.Connect())
            Assert.Equal((ushort)LoginStatus.AuthenticationFailure, c.LoginChap(Tgt, "bob", "alice-secret-1").LoginStatus);
        using (var c = h.Connect())
        {
            string name = "";
            bool ok = false;
            Assert.Equal(0, c.LoginChap(Tgt, "alice", "alice-secret-1", mutualSecret: "target-secret",
                onTargetChapName: n => name = n, mutualOk: m => ok = m).LoginStatus);
            Assert.Equal("target", name);
            Assert.True(ok);
        }
    }

    [Fact]
    public async Task IetDenyRules_LetInEveryoneNotDenied()
    {
        await using var h = await TestTarget.StartAsync((cfg, port) => AddTgtTarget(cfg, port).Tgt!.DeniedNames.Add(Stranger));
        Assert.Contains(Tgt, Discovered(h));
        Assert.Equal(0, Login(h));
        Assert.DoesNotContain(Tgt, Discovered(h, Stranger));
        Assert.Equal((ushort)LoginStatus.NotFound, Login(h, Stranger));
    }
}
