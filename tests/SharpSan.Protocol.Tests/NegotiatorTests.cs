namespace SharpSan.Protocol.Tests;

public class NegotiatorTests
{
    /// <summary>The target's values from the brief.</summary>
    internal static Dictionary<string, string> TargetValues() => new()
    {
        ["HeaderDigest"] = "CRC32C,None",
        ["DataDigest"] = "CRC32C,None",
        ["MaxConnections"] = "1",
        ["InitialR2T"] = "No",
        ["ImmediateData"] = "Yes",
        ["MaxBurstLength"] = "1048576",
        ["FirstBurstLength"] = "262144",
        ["DefaultTime2Wait"] = "2",
        ["DefaultTime2Retain"] = "20",
        ["MaxOutstandingR2T"] = "16",
        ["DataPDUInOrder"] = "Yes",
        ["DataSequenceInOrder"] = "Yes",
        ["ErrorRecoveryLevel"] = "0",
    };

    private static List<KeyValuePair<string, string>> Respond(Negotiator n, params (string Key, string Value)[] offers)
    {
        var response = new List<KeyValuePair<string, string>>();
        n.Respond(offers.Select(o => new KeyValuePair<string, string>(o.Key, o.Value)).ToList(), response);
        return response;
    }

    // key, our value (null: the target values above), offer, expected answer
    [Theory]
    // Min
    [InlineData("MaxBurstLength", "1048576", "262144", "262144")]
    [InlineData("MaxBurstLength", "1048576", "16776192", "1048576")]
    [InlineData("MaxBurstLength", "1048576", "0x40000", "262144")]
    [InlineData("MaxBurstLength", "1048576", "512", "512")]
    [InlineData("MaxBurstLength", "1048576", "16777215", "1048576")]
    [InlineData("FirstBurstLength", "262144", "65536", "65536")]
    [InlineData("MaxConnections", "1", "4", "1")]
    [InlineData("MaxConnections", "8", "4", "4")]
    [InlineData("DefaultTime2Retain", "20", "0", "0")]
    [InlineData("MaxOutstandingR2T", "16", "1", "1")]
    [InlineData("ErrorRecoveryLevel", "0", "2", "0")]
    [InlineData("ErrorRecoveryLevel", "2", "1", "1")]
    // Max
    [InlineData("DefaultTime2Wait", "2", "0", "2")]
    [InlineData("DefaultTime2Wait", "2", "5", "5")]
    [InlineData("DefaultTime2Wait", "2", "3600", "3600")]
    // And
    [InlineData("ImmediateData", "Yes", "Yes", "Yes")]
    [InlineData("ImmediateData", "Yes", "No", "No")]
    [InlineData("ImmediateData", "No", "Yes", "No")]
    // Or
    [InlineData("InitialR2T", "No", "No", "No")]
    [InlineData("InitialR2T", "No", "Yes", "Yes")]
    [InlineData("InitialR2T", "Yes", "No", "Yes")]
    [InlineData("DataPDUInOrder", "No", "No", "No")]
    [InlineData("DataSequenceInOrder", "No", "Yes", "Yes")]
    // List: the first value of the offer we support
    [InlineData("HeaderDigest", "None", "CRC32C,None", "None")]
    [InlineData("HeaderDigest", "CRC32C,None", "None,CRC32C", "None")]
    [InlineData("HeaderDigest", "CRC32C,None", "CRC32C,None", "CRC32C")]
    [InlineData("HeaderDigest", "CRC32C,None", "CRC32C", "CRC32C")]
    [InlineData("DataDigest", "None", "CRC32C", "Reject")]
    [InlineData("DataDigest", "CRC32C,None", "Foo,CRC32C", "CRC32C")]
    // Out of range, not a number, bad booleans
    [InlineData("MaxBurstLength", "1048576", "511", "Reject")]
    [InlineData("MaxBurstLength", "1048576", "16777216", "Reject")]
    [InlineData("MaxBurstLength", "1048576", "abc", "Reject")]
    [InlineData("MaxBurstLength", "1048576", "-1", "Reject")]
    [InlineData("MaxBurstLength", "1048576", "+512", "Reject")]
    [InlineData("MaxBurstLength", "1048576", "", "Reject")]
    [InlineData("MaxBurstLength", "1048576", "0x", "Reject")]
    [InlineData("MaxBurstLength", "1048576", " 512", "Reject")]
    [InlineData("MaxConnections", "1", "0", "Reject")]
    [InlineData("MaxConnections", "1", "65536", "Reject")]
    [InlineData("DefaultTime2Wait", "2", "3601", "Reject")]
    [InlineData("ErrorRecoveryLevel", "0", "3", "Reject")]
    [InlineData("MaxOutstandingR2T", "16", "0", "Reject")]
    [InlineData("ImmediateData", "Yes", "yes", "Reject")]
    [InlineData("ImmediateData", "Yes", "true", "Reject")]
    [InlineData("InitialR2T", "No", "", "Reject")]
    [InlineData("InitialR2T", "No", "Yes,No", "Reject")]
    public void RuleTable(string key, string ours, string offer, string expected)
    {
        var n = new Negotiator(TargetValues());
        n.SetLocal(key, ours);
        var answer = Assert.Single(Respond(n, (key, offer)));
        Assert.Equal(key, answer.Key);
        Assert.Equal(expected, answer.Value);
        if (expected == "Reject") Assert.False(n.Results.ContainsKey(key));
        else Assert.Equal(expected, n.Results[key]);
    }

    [Fact]
    public void EveryTableRowHasAValidDefault()
    {
        Assert.True(NegotiationKeys.All.Count >= 20);
        foreach (var def in NegotiationKeys.All)
        {
            Assert.True(NegotiationKeys.TryGet(def.Name, out var again));
            Assert.Same(def, again);
            if (def.Rule is NegotiationRule.Min or NegotiationRule.Max)
            {
                Assert.True(Negotiator.TryParseNumber(def.Default, out var d), def.Name);
                Assert.InRange(d, def.Min, def.Max);
            }
            if (def.Rule is NegotiationRule.And or NegotiationRule.Or) Assert.Contains(def.Default, new[] { "Yes", "No" });
            if (def.Rule == NegotiationRule.List) Assert.Contains(def.Default, def.Values!);
        }
    }

    [Theory]
    [InlineData("HeaderDigest", NegotiationRule.List, "None")]
    [InlineData("DataDigest", NegotiationRule.List, "None")]
    [InlineData("MaxConnections", NegotiationRule.Min, "1")]
    [InlineData("InitialR2T", NegotiationRule.Or, "Yes")]
    [InlineData("ImmediateData", NegotiationRule.And, "Yes")]
    [InlineData("MaxRecvDataSegmentLength", NegotiationRule.Declarative, "8192")]
    [InlineData("MaxBurstLength", NegotiationRule.Min, "262144")]
    [InlineData("FirstBurstLength", NegotiationRule.Min, "65536")]
    [InlineData("DefaultTime2Wait", NegotiationRule.Max, "2")]
    [InlineData("DefaultTime2Retain", NegotiationRule.Min, "20")]
    [InlineData("MaxOutstandingR2T", NegotiationRule.Min, "1")]
    [InlineData("DataPDUInOrder", NegotiationRule.Or, "Yes")]
    [InlineData("DataSequenceInOrder", NegotiationRule.Or, "Yes")]
    [InlineData("ErrorRecoveryLevel", NegotiationRule.Min, "0")]
    [InlineData("SessionType", NegotiationRule.Declarative, "Normal")]
    public void Rfc7143Rows(string key, NegotiationRule rule, string dflt)
    {
        Assert.True(NegotiationKeys.TryGet(key, out var def));
        Assert.Equal(rule, def.Rule);
        Assert.Equal(dflt, def.Default);
    }

    [Theory]
    [InlineData("FooBar")]
    [InlineData("X-com.example.key")]
    [InlineData("X#vendor")]
    [InlineData("headerdigest")] // keys are case-sensitive
    [InlineData("AuthMethod")] // a security key, not for the operational negotiator
    public void UnknownKeys_NotUnderstood(string key)
    {
        var n = new Negotiator(TargetValues());
        Assert.Equal(new KeyValuePair<string, string>(key, "NotUnderstood"), Assert.Single(Respond(n, (key, "value"))));
        Assert.Empty(n.Results);
    }

    [Theory]
    [InlineData("OFMarker", "Yes", "No")]
    [InlineData("OFMarker", "No", "No")]
    [InlineData("IFMarker", "Yes", "No")]
    [InlineData("OFMarkInt", "2048~8192", "Reject")]
    [InlineData("IFMarkInt", "1", "Reject")]
    public void ObsoleteMarkerKeys(string key, string offer, string expected)
    {
        var n = new Negotiator(TargetValues());
        Assert.Equal(new KeyValuePair<string, string>(key, expected), Assert.Single(Respond(n, (key, offer))));
    }

    [Theory]
    [InlineData("TargetAlias", "x")]
    [InlineData("TargetAddress", "127.0.0.1:3261,1")]
    [InlineData("TargetPortalGroupTag", "1")]
    public void TargetOnlyKeysFromTheInitiator_Rejected(string key, string value)
    {
        var n = new Negotiator(TargetValues());
        Assert.Equal("Reject", Assert.Single(Respond(n, (key, value))).Value);
    }

    [Fact]
    public void Declaratives_NoAnswerButRecorded()
    {
        var n = new Negotiator(TargetValues());
        var response = Respond(n,
            ("MaxRecvDataSegmentLength", "262144"), ("InitiatorName", "iqn.2024-01.org.kinit:host1"),
            ("InitiatorAlias", "(none)"), ("SessionType", "Normal"), ("TargetName", "iqn.2026-11.test:tgtshm"));
        Assert.Empty(response);
        Assert.Equal("262144", n.Results["MaxRecvDataSegmentLength"]);
        Assert.Equal("iqn.2024-01.org.kinit:host1", n.Results["InitiatorName"]);
        Assert.Equal("(none)", n.Results["InitiatorAlias"]);
        Assert.Equal("Normal", n.Results["SessionType"]);
    }

    [Theory]
    [InlineData("MaxRecvDataSegmentLength", "511")]
    [InlineData("MaxRecvDataSegmentLength", "16777216")]
    [InlineData("MaxRecvDataSegmentLength", "big")]
    [InlineData("SessionType", "Foo")]
    public void BadDeclaratives_Rejected(string key, string value)
    {
        var n = new Negotiator(TargetValues());
        Assert.Equal("Reject", Assert.Single(Respond(n, (key, value))).Value);
        Assert.False(n.Results.ContainsKey(key));
    }

    [Theory]
    [InlineData("MaxBurstLength", "262144")]
    [InlineData("FirstBurstLength", "65536")]
    [InlineData("InitialR2T", "No")]
    [InlineData("ImmediateData", "Yes")]
    [InlineData("MaxOutstandingR2T", "1")]
    [InlineData("DataPDUInOrder", "Yes")]
    [InlineData("DataSequenceInOrder", "Yes")]
    [InlineData("MaxConnections", "1")]
    public void DiscoverySession_DataPathKeysIrrelevant(string key, string value)
    {
        var n = new Negotiator(TargetValues()) { DiscoverySession = true };
        Assert.Equal(new KeyValuePair<string, string>(key, "Irrelevant"), Assert.Single(Respond(n, (key, value))));
        Assert.False(n.Results.ContainsKey(key));
    }

    [Fact]
    public void DiscoverySession_SessionKeysStillNegotiated()
    {
        var n = new Negotiator(TargetValues()) { DiscoverySession = true };
        var r = Respond(n, ("HeaderDigest", "CRC32C,None"), ("DefaultTime2Wait", "2"), ("ErrorRecoveryLevel", "0"));
        Assert.Equal(new[] { "CRC32C", "2", "0" }, r.Select(k => k.Value));
    }

    [Theory]
    [InlineData("NotUnderstood")]
    [InlineData("Irrelevant")]
    [InlineData("Reject")]
    public void OfferValuesThatAreAnswers_Ignored(string value)
    {
        var n = new Negotiator(TargetValues());
        Assert.Empty(Respond(n, ("MaxBurstLength", value), ("X-foo", value)));
        Assert.Empty(n.Results);
    }

    [Fact]
    public void AnswersFollowOfferOrder()
    {
        var n = new Negotiator(TargetValues());
        var r = Respond(n, ("ErrorRecoveryLevel", "0"), ("X-a", "1"), ("HeaderDigest", "None"), ("MaxRecvDataSegmentLength", "8192"), ("OFMarker", "No"));
        Assert.Equal(new[] { "ErrorRecoveryLevel", "X-a", "HeaderDigest", "OFMarker" }, r.Select(k => k.Key));
    }

    [Fact]
    public void KeyWeHaveNoLocalValueFor_UsesTheRfcDefault()
    {
        var n = new Negotiator(new Dictionary<string, string>());
        var r = Respond(n, ("MaxBurstLength", "1048576"), ("HeaderDigest", "CRC32C,None"), ("InitialR2T", "No"), ("ImmediateData", "Yes"));
        Assert.Equal(new[] { "262144", "None", "Yes", "Yes" }, r.Select(k => k.Value));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("262144", 262144L)]
    [InlineData("0x40000", 262144L)]
    [InlineData("0X40000", 262144L)]
    [InlineData("0xffffff", 16777215L)]
    public void TryParseNumber_Valid(string s, long expected)
    {
        Assert.True(Negotiator.TryParseNumber(s, out var v));
        Assert.Equal(expected, v);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1.5")]
    [InlineData("0x")]
    [InlineData("0xg")]
    [InlineData("0xFFFFFFFFFFFFFFFF")]
    [InlineData("1e3")]
    public void TryParseNumber_Invalid(string s)
    {
        Assert.False(Negotiator.TryParseNumber(s, out _));
    }
}
