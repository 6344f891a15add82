namespace SharpSan.Protocol.Tests;

/// <summary>Operational-stage offers of real initiators replayed through our Negotiator.</summary>
public class NegotiationReplayTests
{
    private static (List<KeyValuePair<string, string>> Offers, List<KeyValuePair<string, string>> TgtAnswers) OperationalStage(string capture)
    {
        bool IsOperational(FramedPdu p) => p.LoginCurrentStage == LoginStage.LoginOperationalNegotiation;
        var c2s = Framer.FrameCapture(capture + ".c2s.bin").Where(p => p.Opcode == Opcode.LoginRequest && IsOperational(p)).ToList();
        var s2c = Framer.FrameCapture(capture + ".s2c.bin").Where(p => p.Opcode == Opcode.LoginResponse && IsOperational(p)).ToList();
        return (Assert.Single(c2s).Keys, Assert.Single(s2c).Keys);
    }

    private static List<KeyValuePair<string, string>> Replay(Negotiator n, List<KeyValuePair<string, string>> offers)
    {
        var response = new List<KeyValuePair<string, string>>();
        n.Respond(offers, response);
        return response;
    }

    private static string Join(IEnumerable<KeyValuePair<string, string>> kvs) => string.Join("|", kvs.Select(k => k.Key + "=" + k.Value));

    [Fact]
    public void KernelInitiator()
    {
        var (offers, tgt) = OperationalStage("kernel-login-chap-digests.1");
        var n = new Negotiator(NegotiatorTests.TargetValues());
        var answers = Replay(n, offers);
        Assert.Equal(
            "HeaderDigest=CRC32C|DataDigest=CRC32C|DefaultTime2Wait=2|DefaultTime2Retain=0|IFMarker=No|OFMarker=No|" +
            "ErrorRecoveryLevel=0|InitialR2T=No|ImmediateData=Yes|MaxBurstLength=1048576|FirstBurstLength=262144|" +
            "MaxOutstandingR2T=1|MaxConnections=1|DataPDUInOrder=Yes|DataSequenceInOrder=Yes",
            Join(answers));
        // Same keys in the same order as tgt answered (tgt adds no declaratives in this PDU).
        Assert.Equal(tgt.Select(k => k.Key), answers.Select(k => k.Key));

        var p = OperationalParameters.From(n.Results, 262144);
        Assert.True(p.HeaderDigest);
        Assert.True(p.DataDigest);
        Assert.Equal(1, p.MaxConnections);
        Assert.False(p.InitialR2T);
        Assert.True(p.ImmediateData);
        Assert.Equal(262144, p.PeerMaxRecvDataSegmentLength);
        Assert.Equal(262144, p.MaxRecvDataSegmentLength);
        Assert.Equal(1048576, p.MaxBurstLength);
        Assert.Equal(262144, p.FirstBurstLength);
        Assert.Equal(2, p.DefaultTime2Wait);
        Assert.Equal(0, p.DefaultTime2Retain);
        Assert.Equal(1, p.MaxOutstandingR2T);
        Assert.True(p.DataPduInOrder);
        Assert.True(p.DataSequenceInOrder);
        Assert.Equal(0, p.ErrorRecoveryLevel);
    }

    [Fact]
    public void LibiscsiInitiator()
    {
        var (offers, tgt) = OperationalStage("inquiry-chap.0");
        var n = new Negotiator(NegotiatorTests.TargetValues());
        var answers = Replay(n, offers);
        Assert.Equal(
            "HeaderDigest=None|DataDigest=None|InitialR2T=No|ImmediateData=Yes|MaxBurstLength=262144|FirstBurstLength=262144|" +
            "DefaultTime2Wait=2|DefaultTime2Retain=0|MaxOutstandingR2T=1|ErrorRecoveryLevel=0|IFMarker=No|OFMarker=No|" +
            "MaxConnections=1|DataPDUInOrder=Yes|DataSequenceInOrder=Yes",
            Join(answers));
        Assert.Equal(tgt.Select(k => k.Key), answers.Select(k => k.Key));

        var p = OperationalParameters.From(n.Results, 65536);
        Assert.False(p.HeaderDigest);
        Assert.False(p.DataDigest);
        Assert.False(p.InitialR2T);
        Assert.True(p.ImmediateData);
        Assert.Equal(262144, p.PeerMaxRecvDataSegmentLength);
        Assert.Equal(65536, p.MaxRecvDataSegmentLength);
        Assert.Equal(262144, p.MaxBurstLength);
        Assert.Equal(262144, p.FirstBurstLength);
        Assert.Equal(0, p.DefaultTime2Retain);
        Assert.Equal(1, p.MaxOutstandingR2T);
    }

    [Fact]
    public void QemuInitiator_GetsTheHeaderDigestTgtRefused()
    {
        var (offers, tgt) = OperationalStage("rw-headerdigest-chap.0");
        Assert.Contains(new KeyValuePair<string, string>("HeaderDigest", "None"), tgt);
        var n = new Negotiator(NegotiatorTests.TargetValues());
        var answers = Replay(n, offers);
        Assert.Contains(new KeyValuePair<string, string>("HeaderDigest", "CRC32C"), answers);
        Assert.Contains(new KeyValuePair<string, string>("DataDigest", "None"), answers);
        var p = OperationalParameters.From(n.Results, 262144);
        Assert.True(p.HeaderDigest);
        Assert.False(p.DataDigest);
    }

    [Fact]
    public void KernelDiscoverySession()
    {
        var c2s = Framer.FrameCapture("kernel-login-chap-digests.0.c2s.bin");
        var offers = Assert.Single(c2s, p => p.Opcode == Opcode.LoginRequest).Keys;
        var n = new Negotiator(NegotiatorTests.TargetValues()) { DiscoverySession = true };
        var answers = Replay(n, offers);
        Assert.Equal(
            "HeaderDigest=None|DataDigest=None|DefaultTime2Wait=2|DefaultTime2Retain=0|IFMarker=No|OFMarker=No|ErrorRecoveryLevel=0",
            Join(answers));
        Assert.Equal("Discovery", n.Results["SessionType"]);
        Assert.Equal("32768", n.Results["MaxRecvDataSegmentLength"]);
        var p = OperationalParameters.From(n.Results, 8192);
        Assert.Equal(32768, p.PeerMaxRecvDataSegmentLength);
        Assert.False(p.HeaderDigest);
    }

    [Fact]
    public void LibiscsiDiscoverySession_DataPathKeysIrrelevant()
    {
        var c2s = Framer.FrameCapture("discovery.0.c2s.bin");
        var offers = c2s[0].Keys;
        var n = new Negotiator(NegotiatorTests.TargetValues()) { DiscoverySession = true };
        var answers = Replay(n, offers).ToDictionary(k => k.Key, k => k.Value);
        foreach (var key in new[] { "InitialR2T", "ImmediateData", "MaxBurstLength", "FirstBurstLength", "MaxOutstandingR2T", "MaxConnections", "DataPDUInOrder", "DataSequenceInOrder" })
            Assert.Equal("Irrelevant", answers[key]);
        Assert.Equal("None", answers["HeaderDigest"]);
        Assert.Equal("2", answers["DefaultTime2Wait"]);
        Assert.False(answers.ContainsKey("InitiatorName"));
    }

    [Fact]
    public void OperationalParameters_DefaultsAndClamp()
    {
        var d = OperationalParameters.From(new Dictionary<string, string>(), 8192);
        Assert.Equal(new OperationalParameters(), d);
        Assert.True(d.InitialR2T);
        Assert.Equal(262144, d.MaxBurstLength);
        Assert.Equal(65536, d.FirstBurstLength);
        Assert.Equal(8192, d.PeerMaxRecvDataSegmentLength);
        var clamped = OperationalParameters.From(new Dictionary<string, string> { ["MaxBurstLength"] = "4096", ["FirstBurstLength"] = "65536" }, 8192);
        Assert.Equal(4096, clamped.FirstBurstLength);
    }
}
