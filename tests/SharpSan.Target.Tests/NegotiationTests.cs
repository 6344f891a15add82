using static SharpSan.Target.Tests.TestInitiator;

namespace SharpSan.Target.Tests;

/// <summary>Negotiation answers as they come out of a real login.</summary>
public sealed class NegotiationTests
{
    private const string T1 = TargetHarness.Target1;

    private static async Task<List<KeyValuePair<string, string>>> AnswersAsync(Action<Config.SanConfig, int>? configure, params string[] offers)
    {
        await using var h = await TestTarget.StartAsync(configure);
        using var c = h.Connect();
        var rsp = c.LoginStep(NormalKeys(T1, DefaultInitiator, offers), 1, 3, true);
        Assert.Equal(0, rsp.LoginStatus);
        var keys = rsp.KeyList;
        // Digests chosen are in force from the next PDU: prove the session works with them.
        Assert.Equal(0, c.Command(TestUnitReady).Byte3);
        return keys;
    }

    private static string Answer(List<KeyValuePair<string, string>> keys, string key)
    {
        var found = keys.Where(k => k.Key == key).ToList();
        Assert.True(found.Count == 1, $"expected exactly one {key} in the response, got {found.Count}");
        return found[0].Value;
    }

    [Theory]
    [InlineData("CRC32C,None", "CRC32C")]
    [InlineData("None,CRC32C", "None")]
    [InlineData("CRC32C", "CRC32C")]
    [InlineData("None", "None")]
    public async Task Digests_FollowTheInitiatorsOrder(string offer, string expected)
    {
        var keys = await AnswersAsync(null, $"HeaderDigest={offer}", $"DataDigest={offer}");
        Assert.Equal(expected, Answer(keys, "HeaderDigest"));
        Assert.Equal(expected, Answer(keys, "DataDigest"));
    }

    [Fact]
    public async Task HeaderDigestOnly_CommandWorks()
    {
        var keys = await AnswersAsync(null, "HeaderDigest=CRC32C", "DataDigest=None");
        Assert.Equal("CRC32C", Answer(keys, "HeaderDigest"));
        Assert.Equal("None", Answer(keys, "DataDigest"));
    }

    [Fact]
    public async Task Bursts_AreTheMinimum()
    {
        var keys = await AnswersAsync(null, "MaxBurstLength=65536", "FirstBurstLength=16777215", "MaxOutstandingR2T=100");
        Assert.Equal("65536", Answer(keys, "MaxBurstLength"));
        Assert.Equal("262144", Answer(keys, "FirstBurstLength")); // our default FirstBurstLength
        Assert.Equal("16", Answer(keys, "MaxOutstandingR2T"));
    }

    [Fact]
    public async Task BooleanKeys_InitialR2TOr_ImmediateDataAnd()
    {
        var yes = await AnswersAsync(null, "InitialR2T=Yes", "ImmediateData=No");
        Assert.Equal("Yes", Answer(yes, "InitialR2T"));
        Assert.Equal("No", Answer(yes, "ImmediateData"));
        var no = await AnswersAsync(null, "InitialR2T=No", "ImmediateData=Yes");
        Assert.Equal("No", Answer(no, "InitialR2T"));
        Assert.Equal("Yes", Answer(no, "ImmediateData"));
    }

    [Fact]
    public async Task ErrorRecoveryLevel_IsMin_WithZero()
    {
        var keys = await AnswersAsync(null, "ErrorRecoveryLevel=2", "DefaultTime2Wait=0", "DefaultTime2Retain=60");
        Assert.Equal("0", Answer(keys, "ErrorRecoveryLevel"));
        Assert.Equal("2", Answer(keys, "DefaultTime2Wait")); // max
        Assert.Equal("20", Answer(keys, "DefaultTime2Retain")); // min
    }

    [Fact]
    public async Task UnknownKeys_AreNotUnderstood_MarkersAreNo()
    {
        var keys = await AnswersAsync(null, "FancyNewKey=17", "X-com.example.Thing=abc", "OFMarker=Yes", "IFMarker=Yes", "OFMarkInt=2048~8192");
        Assert.Equal("NotUnderstood", Answer(keys, "FancyNewKey"));
        Assert.Equal("NotUnderstood", Answer(keys, "X-com.example.Thing"));
        Assert.Equal("No", Answer(keys, "OFMarker"));
        Assert.Equal("No", Answer(keys, "IFMarker"));
        Assert.Equal("Reject", Answer(keys, "OFMarkInt"));
    }

    [Fact]
    public async Task OutOfRangeValue_IsRejected()
    {
        var keys = await AnswersAsync(null, "MaxBurstLength=100");
        Assert.Equal("Reject", Answer(keys, "MaxBurstLength"));
    }

    [Fact]
    public async Task AnswersFollowOfferOrder()
    {
        var keys = await AnswersAsync(null, "MaxBurstLength=65536", "InitialR2T=Yes", "HeaderDigest=None");
        var names = keys.Select(k => k.Key).Where(k => k is "MaxBurstLength" or "InitialR2T" or "HeaderDigest").ToList();
        Assert.Equal(new[] { "MaxBurstLength", "InitialR2T", "HeaderDigest" }, names);
    }

    [Fact]
    public async Task TpgParameters_OverrideOurDefaults()
    {
        var keys = await AnswersAsync((cfg, _) =>
        {
            var p = cfg.Targets[0].Tpgs[0].Parameters;
            p["MaxOutstandingR2T"] = "1";
            p["InitialR2T"] = "Yes";
            p["ImmediateData"] = "No";
            p["MaxBurstLength"] = "131072";
            p["HeaderDigest"] = "None";
        }, "MaxOutstandingR2T=8", "InitialR2T=No", "ImmediateData=Yes", "MaxBurstLength=262144", "HeaderDigest=CRC32C,None");
        Assert.Equal("1", Answer(keys, "MaxOutstandingR2T"));
        Assert.Equal("Yes", Answer(keys, "InitialR2T"));
        Assert.Equal("No", Answer(keys, "ImmediateData"));
        Assert.Equal("131072", Answer(keys, "MaxBurstLength"));
        Assert.Equal("None", Answer(keys, "HeaderDigest"));
    }

    [Fact]
    public async Task TpgParameters_CannotRaiseErrorRecoveryLevelOrMaxConnections()
    {
        var keys = await AnswersAsync((cfg, _) =>
        {
            var p = cfg.Targets[0].Tpgs[0].Parameters;
            p["ErrorRecoveryLevel"] = "2";
            p["MaxConnections"] = "8";
        }, "ErrorRecoveryLevel=2", "MaxConnections=8");
        Assert.Equal("0", Answer(keys, "ErrorRecoveryLevel"));
        Assert.Equal("1", Answer(keys, "MaxConnections"));
    }

    [Fact]
    public async Task DiscoverySession_AnswersIrrelevant_ToNormalSessionKeys()
    {
        await using var h = await TestTarget.StartAsync();
        using var c = h.Connect();
        var rsp = c.LoginDiscovery(DefaultInitiator, "HeaderDigest=None", "DataDigest=None", "MaxRecvDataSegmentLength=32768",
            "MaxBurstLength=65536", "FirstBurstLength=8192", "InitialR2T=Yes", "ImmediateData=No", "MaxOutstandingR2T=1", "MaxConnections=1");
        Assert.Equal(0, rsp.LoginStatus);
        Assert.NotEqual(0, rsp.Tsih);
        var keys = rsp.KeyList;
        foreach (var k in new[] { "MaxBurstLength", "FirstBurstLength", "InitialR2T", "ImmediateData", "MaxOutstandingR2T", "MaxConnections" })
            Assert.Equal("Irrelevant", Answer(keys, k));
        Assert.Equal("None", Answer(keys, "HeaderDigest"));
        // No TargetPortalGroupTag in a discovery session's response is required; if present it must be numeric.
        Assert.DoesNotContain(keys, k => k.Key == "TargetPortalGroupTag" && !ushort.TryParse(k.Value, out _));
    }
}
