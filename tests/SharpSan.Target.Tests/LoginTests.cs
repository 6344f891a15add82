using System.Text;
using SharpSan.Config;
using SharpSan.Protocol;
using static SharpSan.Target.Tests.TestInitiator;

namespace SharpSan.Target.Tests;

public sealed class LoginTests
{
    private const string Init = DefaultInitiator;
    private const string T1 = TargetHarness.Target1;

    [Fact]
    public async Task SinglePduLogin_ReachesFullFeature_WithExactHeaderFields()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        c.Isid = 0x80123456789A;
        c.CmdSN = 7;
        c.ExpStatSN = 100;
        var rsp = c.LoginNormal(T1);
        Assert.Equal(Opcode.LoginResponse, rsp.Opcode);
        Assert.Equal(0, rsp.LoginStatus);
        Assert.Equal(0x80 | (1 << 2) | 3, rsp.Flags); // T=1, CSG=1, NSG=3
        Assert.Equal(0, rsp.Byte2); // version-max
        Assert.Equal(0, rsp.Byte3); // version-active
        Assert.Equal(0x80123456789AUL, rsp.Isid);
        Assert.NotEqual(0, rsp.Tsih);
        Assert.Equal(c.LoginItt, rsp.Itt);
        Assert.Equal(100u, rsp.StatSN); // starts at the initiator's ExpStatSN
        Assert.Equal(7u, rsp.ExpCmdSN);
        Assert.True(rsp.MaxCmdSN - rsp.ExpCmdSN + 1 > 0 && rsp.MaxCmdSN - rsp.ExpCmdSN < 0x80000000);

        // The first command uses the login's CmdSN.
        var tur = c.Command(TestUnitReady);
        Assert.Equal(0, tur.Byte3);
        Assert.Equal(101u, tur.StatSN);
        Assert.Equal(8u, tur.ExpCmdSN);
    }

    [Fact]
    public async Task FirstResponse_OfNormalSession_CarriesTargetPortalGroupTag_AndMaxRecvDataSegmentLength()
    {
        await using var h = await TestTarget.StartAsync((cfg, _) => cfg.Targets[0].Tpgs[0].Tag = 7,
            new TargetOptions { MaxRecvDataSegmentLength = 131072 });
        using var c = h.Connect();
        var rsp = c.LoginNormal(T1);
        Assert.Equal(0, rsp.LoginStatus);
        var keys = rsp.Keys;
        Assert.Equal("7", keys["TargetPortalGroupTag"]);
        Assert.Equal("131072", keys["MaxRecvDataSegmentLength"]);
    }

    [Fact]
    public async Task TpgParameterMaxRecvDataSegmentLength_IsDeclared()
    {
        await using var h = await TestTarget.StartAsync((cfg, _) => cfg.Targets[0].Tpgs[0].Parameters["MaxRecvDataSegmentLength"] = "16384");
        using var c = h.Connect();
        var rsp = c.LoginNormal(T1);
        Assert.Equal(0, rsp.LoginStatus);
        Assert.Equal("16384", rsp.Keys["MaxRecvDataSegmentLength"]);
    }

    [Fact]
    public async Task SecurityStage_AuthMethodNone_ThenOperational()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        var r1 = c.LoginStep(NormalKeys(T1, Init, "AuthMethod=None"), 0, 1, true);
        Assert.Equal(0, r1.LoginStatus);
        Assert.Equal(0x80 | (0 << 2) | 1, r1.Flags); // T=1, CSG=0, NSG=1
        var k1 = r1.KeyList;
        Assert.Contains(new KeyValuePair<string, string>("AuthMethod", "None"), k1);
        Assert.Contains(new KeyValuePair<string, string>("TargetPortalGroupTag", "1"), k1);
        Assert.Equal(0, r1.Tsih);

        var r2 = c.LoginStep(Kv(StandardOperational()), 1, 3, true);
        Assert.Equal(0, r2.LoginStatus);
        Assert.Equal(0x80 | (1 << 2) | 3, r2.Flags);
        Assert.NotEqual(0, r2.Tsih);
        Assert.DoesNotContain("TargetPortalGroupTag", r2.Keys.Keys); // only in the first response
        Assert.Equal(r1.StatSN + 1, r2.StatSN);
        Assert.Equal(0, c.Command(TestUnitReady).Byte3);
    }

    private static Action<SanConfig> AclWithChap(string user, string secret, string mutualUser = "", string mutualSecret = "", bool required = true)
        => TargetHarness.AclWithChap(user, secret, mutualUser, mutualSecret, required, initiator: Init);

    [Theory]
    [InlineData("5", 5, 16)]
    [InlineData("7", 7, 32)]
    [InlineData("7,5", 7, 32)]
    public async Task Chap_Succeeds_WithChosenAlgorithm(string offer, int expectedAlgorithm, int challengeMin)
    {
        await using var h = await TestTarget.StartAsync(AclWithChap("alice", "secret-alice-12"));
        using var c = h.Connect();
        var r1 = c.LoginStep(NormalKeys(T1, Init, "AuthMethod=CHAP,None"), 0, 1, false);
        Assert.Equal(0, r1.LoginStatus);
        Assert.False(r1.Transit);
        Assert.Equal("CHAP", r1.Keys["AuthMethod"]);
        var r2 = c.LoginStep(Kv($"CHAP_A={offer}"), 0, 1, false);
        Assert.Equal(0, r2.LoginStatus);
        var k2 = r2.Keys;
        Assert.Equal(expectedAlgorithm.ToString(), k2["CHAP_A"]);
        Assert.True(int.Parse(k2["CHAP_I"]) is >= 0 and <= 255);
        Assert.True(Chap.TryDecodeBinary(k2["CHAP_C"], out var challenge));
        Assert.True(challenge.Length >= challengeMin);
        var resp = Chap.ComputeResponse((ChapAlgorithm)expectedAlgorithm, byte.Parse(k2["CHAP_I"]), Encoding.UTF8.GetBytes("secret-alice-12"), challenge);
        var r3 = c.LoginStep(Kv("CHAP_N=alice", $"CHAP_R={Chap.EncodeHex(resp)}"), 0, 1, true);
        Assert.Equal(0, r3.LoginStatus);
        Assert.True(r3.Transit);
        Assert.Equal(1, r3.NextStage);
        var r4 = c.LoginStep(Kv(StandardOperational()), 1, 3, true);
        Assert.Equal(0, r4.LoginStatus);
        Assert.NotEqual(0, r4.Tsih);
        Assert.Equal(0, c.Command(TestUnitReady).Byte3);
    }

    [Fact]
    public async Task MutualChap_TargetResponseVerifiesWithMutualSecret()
    {
        await using var h = await TestTarget.StartAsync(AclWithChap("alice", "secret-alice-12", "target-bob", "secret-bob-3456"));
        using var c = h.Connect();
        string? name = null;
        bool? ok = null;
        var rsp = c.LoginChap(T1, "alice", "secret-alice-12", "5", Init, "secret-bob-3456", n => name = n, v => ok = v);
        Assert.Equal(0, rsp.LoginStatus);
        Assert.Equal("target-bob", name);
        Assert.True(ok);
        Assert.Equal(0, c.Command(TestUnitReady).Byte3);
    }

    [Fact]
    public async Task MutualChap_Sha256()
    {
        await using var h = await TestTarget.StartAsync(AclWithChap("alice", "secret-alice-12", "target-bob", "secret-bob-3456"));
        using var c = h.Connect();
        bool? ok = null;
        var rsp = c.LoginChap(T1, "alice", "secret-alice-12", "7", Init, "secret-bob-3456", mutualOk: v => ok = v);
        Assert.Equal(0, rsp.LoginStatus);
        Assert.True(ok);
    }

    [Fact]
    public async Task Chap_WrongSecret_Is0201_AndCloses()
    {
        await using var h = await TestTarget.StartAsync(AclWithChap("alice", "secret-alice-12"));
        using var c = h.Connect();
        var rsp = c.LoginChap(T1, "alice", "not-the-secret");
        Assert.Equal(0x0201, rsp.LoginStatus);
        Assert.Equal(0, rsp.Tsih);
        Assert.False(rsp.Transit);
        Assert.True(c.WaitForClose());
    }

    [Fact]
    public async Task Chap_WrongUserName_Is0201()
    {
        await using var h = await TestTarget.StartAsync(AclWithChap("alice", "secret-alice-12"));
        using var c = h.Connect();
        var rsp = c.LoginChap(T1, "mallory", "secret-alice-12");
        Assert.Equal(0x0201, rsp.LoginStatus);
    }

    [Fact]
    public async Task ChapRequired_ButAuthMethodNoneOffered_Is0201()
    {
        await using var h = await TestTarget.StartAsync(AclWithChap("alice", "secret-alice-12"));
        using var c = h.Connect();
        var rsp = c.LoginStep(NormalKeys(T1, Init, "AuthMethod=None"), 0, 1, true);
        Assert.Equal(0x0201, rsp.LoginStatus);
        Assert.True(c.WaitForClose());
    }

    [Fact]
    public async Task ChapRequired_ButSecurityStageSkipped_Is0201()
    {
        await using var h = await TestTarget.StartAsync(AclWithChap("alice", "secret-alice-12"));
        using var c = h.Connect();
        var rsp = c.LoginNormal(T1);
        Assert.Equal(0x0201, rsp.LoginStatus);
    }

    [Fact]
    public async Task UnknownTarget_Is0201()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        var rsp = c.LoginNormal("iqn.2025-01.org.sharpsan:nosuch");
        Assert.Equal(0x0201, rsp.LoginStatus);
        Assert.Equal(c.LoginItt, rsp.Itt);
        Assert.True(c.WaitForClose());
    }

    [Fact]
    public async Task InitiatorNotInAcl_Is0201()
    {
        await using var h = await TestTarget.StartAsync(AclWithChap("", "", required: false));
        using var other = h.Connect();
        var rsp = other.LoginNormal(T1, "iqn.2025-01.org.sharpsan.test:stranger");
        Assert.Equal(0x0201, rsp.LoginStatus);

        // The ACL'd initiator (no CHAP set, none required) gets in.
        using var c = h.Connect();
        Assert.Equal(0, c.LoginNormal(T1).LoginStatus);
    }

    [Fact]
    public async Task MissingInitiatorName_Is0207()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        var keys = Kv($"TargetName={T1}", "SessionType=Normal");
        keys.AddRange(Kv(StandardOperational()));
        var rsp = c.LoginStep(keys, 1, 3, true);
        Assert.Equal(0x0207, rsp.LoginStatus);
        Assert.True(c.WaitForClose());
    }

    [Fact]
    public async Task MissingTargetName_InNormalSession_Is0207()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        var keys = Kv($"InitiatorName={Init}", "SessionType=Normal");
        keys.AddRange(Kv(StandardOperational()));
        var rsp = c.LoginStep(keys, 1, 3, true);
        Assert.Equal(0x0207, rsp.LoginStatus);
    }

    [Fact]
    public async Task VersionMinAboveZero_Is0205()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        var rsp = c.LoginStep(NormalKeys(T1, Init, StandardOperational()), 1, 3, true, versionMax: 2, versionMin: 1);
        Assert.Equal(0x0205, rsp.LoginStatus);
        Assert.True(c.WaitForClose());
    }

    [Fact]
    public async Task NonZeroTsih_ForUnknownSession_Is020A()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        var rsp = c.LoginStep(NormalKeys(T1, Init, StandardOperational()), 1, 3, true, tsih: 0x4242);
        Assert.Equal(0x020A, rsp.LoginStatus);
    }

    [Fact]
    public async Task UnsupportedSessionType_Is0209()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        var rsp = c.LoginStep(Kv($"InitiatorName={Init}", $"TargetName={T1}", "SessionType=Bogus"), 1, 3, true);
        Assert.Equal(0x0209, rsp.LoginStatus);
    }

    [Fact]
    public async Task ContinuedLoginText_GetsEmptyResponse_ThenTheRealOne()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        var all = TextKeyValues.Encode(NormalKeys(T1, Init, StandardOperational()));
        int split = Encoding.ASCII.GetString(all).IndexOf("TargetName=", StringComparison.Ordinal) + 5; // inside a key
        var r1 = c.LoginStepRaw(all[..split], 1, 3, transit: false, cont: true);
        Assert.Equal(0, r1.LoginStatus);
        Assert.Equal(0, r1.DataSegmentLength);
        Assert.False(r1.Transit);
        Assert.False(r1.Continue);
        Assert.Equal(0, r1.Tsih);

        var r2 = c.LoginStepRaw(all[split..], 1, 3, transit: true);
        Assert.Equal(0, r2.LoginStatus);
        Assert.True(r2.Transit);
        Assert.Equal(3, r2.NextStage);
        Assert.NotEqual(0, r2.Tsih);
        Assert.Equal("1", r2.Keys["TargetPortalGroupTag"]);
        Assert.Equal(r1.StatSN + 1, r2.StatSN);
        Assert.Equal(0, c.Command(TestUnitReady).Byte3);
    }

    [Fact]
    public async Task NonLoginPdu_DuringLogin_ClosesConnection()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        var r1 = c.LoginStep(NormalKeys(T1, Init, "AuthMethod=None"), 0, 1, false);
        Assert.Equal(0, r1.LoginStatus);
        // A NOP-Out before the login completed.
        var hdr = new byte[48];
        new NopOutPdu { Immediate = true, InitiatorTaskTag = 0x77, TargetTransferTag = Bhs.ReservedTag }.Encode(hdr, 0);
        c.Send(hdr, ReadOnlySpan<byte>.Empty, false, false);
        Assert.True(c.WaitForClose());
    }

    [Fact]
    public async Task ScsiCommand_AsFirstPdu_ClosesConnection()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        c.Send(c.CommandHeader(TestUnitReady, 0, false, false, true, 0), ReadOnlySpan<byte>.Empty, false, false);
        Assert.True(c.WaitForClose());
    }

    [Fact]
    public async Task LoginTimeout_DropsIdleLoginConnection()
    {
        await using var h = await TestTarget.StartAsync(options: new TargetOptions { LoginTimeout = TimeSpan.FromMilliseconds(300) });
        using var c = h.Connect(receiveTimeoutMs: 20000);
        Assert.True(c.WaitForClose());
    }
}
