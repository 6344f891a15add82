using SharpSan.Config;
using SharpSan.Protocol;
using static SharpSan.Target.Tests.TestInitiator;

namespace SharpSan.Target.Tests;

public sealed class DiscoveryTests
{
    private const string T1 = TargetHarness.Target1;

    private static List<KeyValuePair<string, string>> SendTargets(TestInitiator c, string value = "All")
    {
        var rsp = c.Text(Kv($"SendTargets={value}"));
        Assert.Equal(Opcode.TextResponse, rsp.Opcode);
        Assert.Equal(0x80, rsp.Flags); // F=1, C=0
        Assert.Equal(Bhs.ReservedTag, rsp.Ttt);
        return rsp.KeyList;
    }

    private static TestInitiator Discover(TargetHarness h, string initiator = DefaultInitiator, int? port = null)
    {
        var c = h.Connect(port);
        var rsp = c.LoginDiscovery(initiator);
        Assert.Equal(0, rsp.LoginStatus);
        Assert.True(rsp.Transit);
        Assert.Equal(3, rsp.NextStage);
        return c;
    }

    [Fact]
    public async Task SendTargetsAll_ListsTargetsWithAddressAndTag()
    {
        int port2 = TargetHarness.FreePort();
        await using var h = await TestTarget.StartAsync((cfg, _) => TargetHarness.AddTarget(cfg, "iqn.2025-01.org.sharpsan:t2", port2, tag: 3));
        using var c = Discover(h);
        var keys = SendTargets(c);
        Assert.Equal(new KeyValuePair<string, string>[]
        {
            new("TargetName", T1),
            new("TargetAddress", $"127.0.0.1:{h.Port},1"),
            new("TargetName", "iqn.2025-01.org.sharpsan:t2"),
            new("TargetAddress", $"127.0.0.1:{port2},3"),
        }, keys);
    }

    [Fact]
    public async Task WildcardPortal_IsAnsweredWithTheAddressConnectedTo()
    {
        int anyPort = TargetHarness.FreePort("0.0.0.0");
        await using var h = await TestTarget.StartAsync((cfg, _) =>
            TargetHarness.AddTarget(cfg, "iqn.2025-01.org.sharpsan:any", anyPort, ip: "0.0.0.0", tag: 2));
        using var c = Discover(h, port: anyPort);
        var keys = SendTargets(c, "iqn.2025-01.org.sharpsan:any");
        Assert.Equal(new KeyValuePair<string, string>[]
        {
            new("TargetName", "iqn.2025-01.org.sharpsan:any"),
            new("TargetAddress", $"127.0.0.1:{anyPort},2"),
        }, keys);
    }

    [Fact]
    public async Task DemoModeDiscoveryOff_StillListsDemoModeTpgs()
    {
        // LIO hides a TPG only when generate_node_acls=0 AND demo_mode_discovery=0 AND no ACL
        // (iscsit_build_sendtargets_response): a demo-mode TPG is listed whatever demo_mode_discovery says.
        await using var h = await TestTarget.StartAsync((cfg, _) =>
            cfg.Targets[0].Tpgs[0].ExtraAttributes["demo_mode_discovery"] = System.Text.Json.Nodes.JsonValue.Create(0));
        using var c = Discover(h);
        Assert.Equal(new[] { T1 }, SendTargets(c).Where(k => k.Key == "TargetName").Select(k => k.Value));
    }

    [Fact]
    public async Task AclOnlyTpgs_ListedToEveryone_WhileDemoModeDiscoveryIsOn()
    {
        // Seed 003: two ACL-only targets (generate_node_acls=0, demo_mode_discovery left at its
        // default 1), one ACL each; a client with one ACL discovers both, and logs in to its own.
        const string client1 = "iqn.2014-06.com.benet:client1";
        await using var h = await TestTarget.StartAsync((cfg, port) =>
        {
            cfg.Targets.Clear();
            TargetHarness.AddTarget(cfg, "iqn.2015-06.com.benet:disk1", port, demo: false).Tpgs[0].NodeAcls.Add(new NodeAclConfig { NodeWwn = client1 });
            TargetHarness.AddTarget(cfg, "iqn.2015-06.com.benet:disk2", port, demo: false).Tpgs[0].NodeAcls.Add(new NodeAclConfig { NodeWwn = "iqn.2014-06.com.benet:client2" });
        });
        using (var c = Discover(h, client1))
        {
            Assert.Equal(new[] { "iqn.2015-06.com.benet:disk1", "iqn.2015-06.com.benet:disk2" },
                SendTargets(c).Where(k => k.Key == "TargetName").Select(k => k.Value));
        }
        using (var own = h.Connect())
            Assert.Equal(0, own.Login(client1, "iqn.2015-06.com.benet:disk1", digests: false));
        using (var other = h.Connect())
            Assert.Equal(0x0201, other.Login(client1, "iqn.2015-06.com.benet:disk2", digests: false));
    }

    [Fact]
    public async Task AclOnlyTpgs_HiddenFromOthers_WhenDemoModeDiscoveryIsOff()
    {
        const string allowed = "iqn.2025-01.org.sharpsan.test:allowed";
        await using var h = await TestTarget.StartAsync((cfg, port) =>
        {
            var t = TargetHarness.AddTarget(cfg, "iqn.2025-01.org.sharpsan:private", port, demo: false, tag: 1);
            t.Tpgs[0].NodeAcls.Add(new NodeAclConfig { NodeWwn = allowed });
            t.Tpgs[0].ExtraAttributes["demo_mode_discovery"] = System.Text.Json.Nodes.JsonValue.Create(0);
        });
        using (var stranger = Discover(h, "iqn.2025-01.org.sharpsan.test:stranger"))
        {
            var names = SendTargets(stranger).Where(k => k.Key == "TargetName").Select(k => k.Value).ToList();
            Assert.Equal(new[] { T1 }, names); // demo-mode t1 only
        }
        using (var friend = Discover(h, allowed))
        {
            var names = SendTargets(friend).Where(k => k.Key == "TargetName").Select(k => k.Value).ToList();
            Assert.Equal(new[] { "iqn.2025-01.org.sharpsan:private", T1 }, names); // ordinal order
        }
    }

    [Fact]
    public async Task DisabledTpg_IsListed_WhenTpgEnabledSendTargetsIsOff()
    {
        int port2 = TargetHarness.FreePort();
        await using var h = await TestTarget.StartAsync((cfg, _) =>
        {
            var t2 = TargetHarness.AddTarget(cfg, "iqn.2025-01.org.sharpsan:standby", port2);
            t2.Tpgs[0].Enable = false;
            t2.Tpgs[0].ExtraAttributes["tpg_enabled_sendtargets"] = System.Text.Json.Nodes.JsonValue.Create(0);
        });
        using var c = Discover(h);
        Assert.Contains(new KeyValuePair<string, string>("TargetAddress", $"127.0.0.1:{port2},1"), SendTargets(c));
    }

    [Fact]
    public async Task DisabledTpgs_AreNotListed()
    {
        int port2 = TargetHarness.FreePort();
        int port3 = TargetHarness.FreePort();
        await using var h = await TestTarget.StartAsync((cfg, _) =>
        {
            // t1 gets a second, disabled TPG; t3 has only a disabled TPG.
            var tpg2 = new TpgConfig { Tag = 2, Enable = false, GenerateNodeAcls = true };
            tpg2.Portals.Add(new PortalConfig { IpAddress = "127.0.0.1", Port = port2 });
            cfg.Targets[0].Tpgs.Add(tpg2);
            var t3 = TargetHarness.AddTarget(cfg, "iqn.2025-01.org.sharpsan:t3", port3);
            t3.Tpgs[0].Enable = false;
        });
        using var c = Discover(h);
        Assert.Equal(new KeyValuePair<string, string>[]
        {
            new("TargetName", T1),
            new("TargetAddress", $"127.0.0.1:{h.Port},1"),
        }, SendTargets(c));
    }

    [Fact]
    public async Task SendTargetsByName_ListsOnlyThatTarget()
    {
        await using var h = await TestTarget.StartAsync((cfg, port) =>
        {
            TargetHarness.AddTarget(cfg, "iqn.2025-01.org.sharpsan:a", port, tag: 1);
            TargetHarness.AddTarget(cfg, "iqn.2025-01.org.sharpsan:b", port, tag: 1);
        });
        using var c = Discover(h);
        Assert.Equal(new KeyValuePair<string, string>[]
        {
            new("TargetName", "iqn.2025-01.org.sharpsan:b"),
            new("TargetAddress", $"127.0.0.1:{h.Port},1"),
        }, SendTargets(c, "iqn.2025-01.org.sharpsan:b"));
        Assert.Empty(SendTargets(c, "iqn.2025-01.org.sharpsan:nosuch"));
    }

    [Fact]
    public async Task UnknownTextKey_InDiscovery_IsNotUnderstood()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = Discover(h);
        var rsp = c.Text(Kv("X-com.example.Query=1"));
        Assert.Equal(new KeyValuePair<string, string>[] { new("X-com.example.Query", "NotUnderstood") }, rsp.KeyList);
    }

    [Fact]
    public async Task NormalSession_SendTargets_ListsOnlyItsOwnTarget()
    {
        await using var h = await TestTarget.StartAsync((cfg, port) => TargetHarness.AddTarget(cfg, "iqn.2025-01.org.sharpsan:other", port));
        using var c = h.LoginNormal();
        Assert.Equal(new KeyValuePair<string, string>[]
        {
            new("TargetName", T1),
            new("TargetAddress", $"127.0.0.1:{h.Port},1"),
        }, SendTargets(c));
    }

    [Fact]
    public async Task ScsiCommand_InDiscoverySession_IsRejected()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = Discover(h);
        // Immediate, so the test does not depend on whether a rejected command's CmdSN is consumed.
        var header = c.CommandHeader(TestUnitReady, 0, false, false, true, 0, immediate: true);
        c.Send(header, ReadOnlySpan<byte>.Empty);
        var rsp = c.Receive();
        Assert.Equal(Opcode.Reject, rsp.Opcode);
        Assert.Equal(0x80, rsp.Flags);
        Assert.Equal(0x04, rsp.Byte2); // protocol error
        Assert.Equal(Bhs.ReservedTag, rsp.Itt);
        Assert.Equal(header, rsp.Data); // the offending BHS
        c.Ack(rsp);
        // The session goes on.
        Assert.Contains(new KeyValuePair<string, string>("TargetName", T1), SendTargets(c));
    }

    [Fact]
    public async Task LongTextResponse_IsSplitAndContinued()
    {
        const int targets = 40;
        await using var h = await TestTarget.StartAsync((cfg, port) =>
        {
            for (int i = 0; i < targets; i++)
                TargetHarness.AddTarget(cfg, $"iqn.2025-01.org.sharpsan.long-target-name-for-text-continuation:{i:D3}", port, tag: 1);
        });
        using var c = h.Connect();
        Assert.Equal(0, c.LoginDiscovery(DefaultInitiator, "HeaderDigest=None", "DataDigest=None", "MaxRecvDataSegmentLength=512").LoginStatus);

        uint itt = c.NextItt++;
        var whole = new List<byte>();
        var first = c.Text(Kv("SendTargets=All"), itt);
        var rsp = first;
        var tags = new HashSet<uint>();
        int pieces = 1;
        while (true)
        {
            Assert.Equal(Opcode.TextResponse, rsp.Opcode);
            Assert.Equal(itt, rsp.Itt);
            Assert.True(rsp.DataSegmentLength <= 512, $"piece of {rsp.DataSegmentLength} bytes");
            whole.AddRange(rsp.Data);
            if (rsp.Flags == 0x80)
            {
                Assert.Equal(Bhs.ReservedTag, rsp.Ttt);
                break;
            }
            Assert.Equal(0x40, rsp.Flags); // C=1, F=0
            Assert.Equal(512, rsp.DataSegmentLength);
            Assert.NotEqual(Bhs.ReservedTag, rsp.Ttt);
            Assert.True(tags.Add(rsp.Ttt));
            var next = c.Text(Array.Empty<KeyValuePair<string, string>>(), itt, rsp.Ttt);
            Assert.Equal(rsp.StatSN + 1, next.StatSN);
            rsp = next;
            pieces++;
        }
        Assert.True(pieces > 5);
        var keys = TextKeyValues.Parse(whole.ToArray());
        var names = keys.Where(k => k.Key == "TargetName").Select(k => k.Value).ToList();
        Assert.Equal(targets + 1, names.Count);
        Assert.Equal(targets + 1, keys.Count(k => k.Key == "TargetAddress" && k.Value == $"127.0.0.1:{h.Port},1"));
    }

    [Fact]
    public async Task ContinuationWithUnknownTag_IsRejected()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = Discover(h);
        var header = c.TextHeader(0, c.NextItt++, ttt: 0x12345678);
        c.Send(header, ReadOnlySpan<byte>.Empty);
        var rsp = c.Receive();
        Assert.Equal(Opcode.Reject, rsp.Opcode);
        Assert.Equal(0x09, rsp.Byte2);
        Assert.Equal(header, rsp.Data);
    }

    [Fact]
    public async Task DiscoverySession_LogoutClosesIt()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = Discover(h);
        var rsp = c.Logout(0);
        Assert.Equal(Opcode.LogoutResponse, rsp.Opcode);
        Assert.Equal(0, rsp.Byte2);
        Assert.True(c.WaitForClose());
    }
}

public sealed class TextContinuationTests
{
    [Fact]
    public async Task MultiPduTextRequest_ContinuedWithTheTargetsTag_IsAnswered()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        Assert.Equal(0, c.LoginDiscovery().LoginStatus);
        var text = TextKeyValues.Encode(TestInitiator.Kv("SendTargets=All"));
        uint itt = c.NextItt++;
        // First half with C=1 (F=0): the target acknowledges with an empty response.
        c.Send(c.TextHeader(5, itt, cont: true), text.AsSpan(0, 5));
        var ack = c.Receive();
        Assert.Equal(Opcode.TextResponse, ack.Opcode);
        Assert.Equal(itt, ack.Itt);
        Assert.Equal(0, ack.DataSegmentLength);
        Assert.Equal(0, ack.Flags & 0xC0); // F=0, C=0
        Assert.NotEqual(Bhs.ReservedTag, ack.Ttt);
        c.Ack(ack);
        // RFC 7143 §11.10.4: a request answering a response with F=0 carries that response's TTT.
        c.Send(c.TextHeader(text.Length - 5, itt, ttt: ack.Ttt), text.AsSpan(5));
        var rsp = c.Receive();
        Assert.Equal(Opcode.TextResponse, rsp.Opcode);
        Assert.Equal(0x80, rsp.Flags);
        Assert.Contains(new KeyValuePair<string, string>("TargetName", TargetHarness.Target1), rsp.KeyList);
    }
}
