using System.Text;
using SharpSan.Config;
using SharpSan.Protocol;
using static SharpSan.Target.Tests.TestInitiator;

namespace SharpSan.Target.Tests;

/// <summary>Less common login paths: renegotiation, changed identifiers, portals, CHAP failures.</summary>
public sealed class LoginEdgeTests
{
    private const string Init = DefaultInitiator;
    private const string T1 = TargetHarness.Target1;

    [Fact]
    public async Task KeyOfferedTwice_IsInitiatorError()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        var r1 = c.LoginStep(NormalKeys(T1, Init, "AuthMethod=None", "MaxBurstLength=65536"), 0, 1, true);
        Assert.Equal(0, r1.LoginStatus);
        Assert.Equal("65536", r1.Keys["MaxBurstLength"]);
        // RFC 7143 §6.2: renegotiating a key in the same login MUST be answered with a Login reject (initiator error).
        var r2 = c.LoginStep(Kv("MaxBurstLength=131072", "HeaderDigest=None"), 1, 3, true);
        Assert.Equal(0x0200, r2.LoginStatus);
    }

    [Fact]
    public async Task TsihOfExistingSession_IsTooManyConnections()
    {
        await using var h = await TestTarget.StartAsync();
        using var first = h.LoginNormal();
        using var c = h.Connect();
        c.Isid = first.Isid;
        c.Cid = 1;
        var rsp = c.LoginStep(NormalKeys(T1, Init, StandardOperational()), 1, 3, true, tsih: first.Tsih);
        Assert.Equal(0x0206, rsp.LoginStatus);
        Assert.Equal(Opcode.NopIn, first.NopOut(new byte[] { 1 }).Opcode); // the session is untouched
    }

    [Fact]
    public async Task SameIsidTsihAndCid_IsConnectionReinstatement_KeepingTheTsih()
    {
        await using var h = await TestTarget.StartAsync();
        using var first = h.LoginNormal();
        using var c = h.Connect();
        c.Isid = first.Isid;
        c.Cid = first.Cid;
        var rsp = c.LoginStep(NormalKeys(T1, Init, StandardOperational()), 1, 3, true, tsih: first.Tsih);
        Assert.Equal(0, rsp.LoginStatus);
        Assert.Equal(first.Tsih, rsp.Tsih);
        Assert.True(first.WaitForClose()); // the old connection is closed
    }

    [Fact]
    public async Task IsidChangedDuringLogin_IsInitiatorError()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        Assert.Equal(0, c.LoginStep(NormalKeys(T1, Init, "AuthMethod=None"), 0, 1, true).LoginStatus);
        c.Isid ^= 0x1;
        var rsp = c.LoginStep(Kv(StandardOperational()), 1, 3, true);
        Assert.Equal(0x0200, rsp.LoginStatus);
        Assert.True(c.WaitForClose());
    }

    [Fact]
    public async Task InvalidStageTransition_IsInitiatorError()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        var rsp = c.LoginStep(NormalKeys(T1, Init, StandardOperational()), 1, 0, true); // operational -> security
        Assert.Equal(0x0200, rsp.LoginStatus);
    }

    [Fact]
    public async Task TargetNotServedOnThisPortal_Is0201()
    {
        int port2 = TargetHarness.FreePort();
        await using var h = await TestTarget.StartAsync((cfg, _) => TargetHarness.AddTarget(cfg, "iqn.2025-01.org.sharpsan:t2", port2));
        using var c = h.Connect(); // t1's portal
        Assert.Equal(0x0201, c.LoginNormal("iqn.2025-01.org.sharpsan:t2").LoginStatus);
        using var ok = h.Connect(port2);
        Assert.Equal(0, ok.LoginNormal("iqn.2025-01.org.sharpsan:t2").LoginStatus);
    }

    private static Action<SanConfig> DemoChap(string user, string secret, string mutualUser = "", string mutualSecret = "")
        => TargetHarness.DemoModeChap(user, secret, mutualUser, mutualSecret);

    [Fact]
    public async Task DemoModeTpgChap_Works()
    {
        await using var h = await TestTarget.StartAsync(DemoChap("demo", "demo-secret-123"));
        using var c = h.Connect();
        Assert.Equal(0, c.LoginChap(T1, "demo", "demo-secret-123", "7").LoginStatus);
        Assert.Equal(0, c.Command(TestUnitReady).Byte3);
    }

    [Fact]
    public async Task UnsupportedChapAlgorithm_Is0201()
    {
        await using var h = await TestTarget.StartAsync(DemoChap("demo", "demo-secret-123"));
        using var c = h.Connect();
        Assert.Equal(0, c.LoginStep(NormalKeys(T1, Init, "AuthMethod=CHAP"), 0, 1, false).LoginStatus);
        var rsp = c.LoginStep(Kv("CHAP_A=99"), 0, 1, false);
        Assert.Equal(0x0201, rsp.LoginStatus);
    }

    [Fact]
    public async Task MutualChap_WithoutTargetMutualCredentials_Is0201()
    {
        await using var h = await TestTarget.StartAsync(DemoChap("demo", "demo-secret-123"));
        using var c = h.Connect();
        var rsp = c.LoginChap(T1, "demo", "demo-secret-123", "5", Init, mutualSecret: "whatever-secret");
        Assert.Equal(0x0201, rsp.LoginStatus);
    }

    [Fact]
    public async Task MutualChap_ReflectedChallenge_Is0201()
    {
        await using var h = await TestTarget.StartAsync(DemoChap("demo", "demo-secret-123", "tgt", "tgt-secret-4567"));
        using var c = h.Connect();
        Assert.Equal(0, c.LoginStep(NormalKeys(T1, Init, "AuthMethod=CHAP"), 0, 1, false).LoginStatus);
        var k = c.LoginStep(Kv("CHAP_A=5"), 0, 1, false).Keys;
        Assert.True(Chap.TryDecodeBinary(k["CHAP_C"], out var challenge));
        var resp = Chap.ComputeResponse(ChapAlgorithm.Md5, byte.Parse(k["CHAP_I"]), Encoding.UTF8.GetBytes("demo-secret-123"), challenge);
        var rsp = c.LoginStep(Kv("CHAP_N=demo", $"CHAP_R={Chap.EncodeHex(resp)}", "CHAP_I=1", $"CHAP_C={k["CHAP_C"]}"), 0, 1, true);
        Assert.Equal(0x0201, rsp.LoginStatus);
    }

    [Fact]
    public async Task ChapKeysWithoutAuthMethodChap_IsInitiatorError()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        var rsp = c.LoginStep(NormalKeys(T1, Init, "AuthMethod=None", "CHAP_A=5"), 0, 1, false);
        Assert.Equal(0x0200, rsp.LoginStatus);
    }

    [Fact]
    public async Task DiscoveryAuth_RequiresChap()
    {
        await using var h = await TestTarget.StartAsync((cfg, _) =>
            cfg.DiscoveryAuth = new DiscoveryAuthConfig { Enable = true, UserId = "disc", Password = "disc-secret-123" });
        using (var none = h.Connect())
        {
            Assert.Equal(0x0201, none.LoginDiscovery().LoginStatus);
        }
        using var c = h.Connect();
        var r1 = c.LoginStep(Kv($"InitiatorName={Init}", "SessionType=Discovery", "AuthMethod=CHAP,None"), 0, 1, false);
        Assert.Equal("CHAP", r1.Keys["AuthMethod"]);
        Assert.DoesNotContain("TargetPortalGroupTag", r1.Keys.Keys);
        var k = c.LoginStep(Kv("CHAP_A=5"), 0, 1, false).Keys;
        Assert.True(Chap.TryDecodeBinary(k["CHAP_C"], out var challenge));
        var resp = Chap.ComputeResponse(ChapAlgorithm.Md5, byte.Parse(k["CHAP_I"]), Encoding.UTF8.GetBytes("disc-secret-123"), challenge);
        Assert.Equal(0, c.LoginStep(Kv("CHAP_N=disc", $"CHAP_R={Chap.EncodeHex(resp)}"), 0, 1, true).LoginStatus);
        var fin = c.LoginStep(Kv("HeaderDigest=None", "DataDigest=None", "MaxRecvDataSegmentLength=8192"), 1, 3, true);
        Assert.Equal(0, fin.LoginStatus);
        Assert.Contains(new KeyValuePair<string, string>("TargetName", T1), c.Text(Kv("SendTargets=All")).KeyList);
    }
}
