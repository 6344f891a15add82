using SharpSan.Protocol;

namespace SharpSan.Initiator.Tests;

public sealed class LoginTests
{
    [Fact]
    public async Task Discovery_ListsTheTarget()
    {
        await using var h = await TargetHarness.StartAsync();
        var targets = await IscsiDiscovery.SendTargetsAsync(h.Portal, TargetHarness.LoginOptions());
        var t = Assert.Single(targets);
        Assert.Equal(TargetHarness.Target1, t.TargetName);
        Assert.Contains($"127.0.0.1:{h.Port},1", t.TargetAddresses);
    }

    [Fact]
    public async Task LoginNone_NegotiatesOurProposals_AndLogsOut()
    {
        await using var h = await TargetHarness.StartAsync();
        await using var s = await h.LoginAsync();
        Assert.NotEqual(0, s.Tsih);
        Assert.Equal(1, s.TargetPortalGroupTag);
        Assert.Equal(TargetHarness.Target1, s.TargetName);
        var p = s.Parameters;
        Assert.False(p.HeaderDigest);
        Assert.False(p.DataDigest);
        Assert.False(p.InitialR2T);
        Assert.True(p.ImmediateData);
        Assert.Equal(262144, p.MaxRecvDataSegmentLength);
        Assert.Equal(262144, p.MaxXmitDataSegmentLength);
        Assert.Equal(1048576, p.MaxBurstLength); // the target's smaller value wins (Min rule)
        Assert.Equal(0, p.DefaultTime2Retain);
        Assert.Contains(p.ToKeyValues(), kv => kv.Key == "MaxBurstLength" && kv.Value == "1048576");
        var r = await s.ExecuteAsync(ScsiCommand.NoData(0, ScsiCdb.TestUnitReady()));
        Assert.True(r.IsGood);
        await s.LogoutAsync();
        Assert.False(s.IsConnected);
        await Assert.ThrowsAsync<IscsiSessionException>(async () => await s.ExecuteAsync(ScsiCommand.NoData(0, ScsiCdb.TestUnitReady())));
    }

    [Theory]
    [InlineData("5")]
    [InlineData("7")]
    [InlineData("7,5")]
    public async Task Chap_OneWay(string algorithms)
    {
        await using var h = await TargetHarness.StartAsync(TargetHarness.AclWithChap("alice", "secret-alice-12"));
        var o = TargetHarness.LoginOptions(new ChapCredentials("alice", "secret-alice-12"));
        o.ChapAlgorithms = algorithms;
        await using var s = await h.LoginAsync(o);
        Assert.True((await s.ExecuteAsync(ScsiCommand.NoData(0, ScsiCdb.TestUnitReady()))).IsGood);
    }

    [Fact]
    public async Task Chap_Mutual()
    {
        await using var h = await TargetHarness.StartAsync(TargetHarness.AclWithChap("alice", "secret-alice-12", "tgt", "secret-target-34"));
        var o = TargetHarness.LoginOptions(new ChapCredentials("alice", "secret-alice-12", "tgt", "secret-target-34"));
        await using var s = await h.LoginAsync(o);
        Assert.NotEqual(0, s.Tsih);
    }

    [Fact]
    public async Task Chap_Mutual_WrongTargetSecret_IsRefused()
    {
        await using var h = await TargetHarness.StartAsync(TargetHarness.AclWithChap("alice", "secret-alice-12", "tgt", "secret-target-34"));
        var o = TargetHarness.LoginOptions(new ChapCredentials("alice", "secret-alice-12", "tgt", "not-the-target-secret"));
        var ex = await Assert.ThrowsAsync<IscsiLoginException>(() => h.LoginAsync(o));
        Assert.Equal(LoginStatus.AuthenticationFailure, ex.Status);
        Assert.Contains("mutual", ex.Message);
    }

    [Fact]
    public async Task Chap_WrongSecret_Is0201()
    {
        await using var h = await TargetHarness.StartAsync(TargetHarness.AclWithChap("alice", "secret-alice-12"));
        var o = TargetHarness.LoginOptions(new ChapCredentials("alice", "wrong-secret-999"));
        var ex = await Assert.ThrowsAsync<IscsiLoginException>(() => h.LoginAsync(o));
        Assert.Equal(LoginStatus.AuthenticationFailure, ex.Status);
        Assert.Equal(2, ex.StatusClass);
        Assert.Equal(1, ex.StatusDetail);
    }

    [Fact]
    public async Task UnknownTarget_IsRefused()
    {
        await using var h = await TargetHarness.StartAsync();
        var ex = await Assert.ThrowsAsync<IscsiLoginException>(() =>
            IscsiSession.LoginAsync(h.Portal, "iqn.2025-01.org.sharpsan:nope", TargetHarness.LoginOptions()));
        Assert.Equal(2, ex.StatusClass);
    }

    [Fact]
    public async Task Digests_Negotiated_AndDataVerified()
    {
        await using var h = await TargetHarness.StartAsync();
        var o = TargetHarness.LoginOptions();
        o.HeaderDigest = "CRC32C,None";
        o.DataDigest = "CRC32C,None";
        await using var s = await h.LoginAsync(o);
        Assert.True(s.Parameters.HeaderDigest);
        Assert.True(s.Parameters.DataDigest);
        var dev = await BlockDevice.OpenAsync(s, 0);
        var data = new byte[1 << 20];
        new Random(5).NextBytes(data);
        await dev.WriteAsync(8, data);
        var back = new byte[data.Length];
        await dev.ReadAsync(8, back);
        Assert.Equal(data, back);
    }

    [Fact]
    public void ParseAddress_HandlesIpv4AndIpv6()
    {
        Assert.Equal("10.0.0.1:3261", LoginConnector.ParseAddress("10.0.0.1:3261,1")!.ToString());
        Assert.Equal("[::1]:3260", LoginConnector.ParseAddress("[::1]:3260,2")!.ToString());
        Assert.Null(LoginConnector.ParseAddress("not-an-address"));
    }
}
