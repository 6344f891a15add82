using System.Globalization;
using System.Text;

namespace SharpSan.Protocol.Tests;

public class ChapTargetExchangeTests
{
    private const string User = "capuser";
    private const string Secret = "capsecret-123";
    private const string MutualUser = "iqn.2026-11.test:tgtshm";
    private const string MutualSecret = "mutual-secret-456";

    private static List<KeyValuePair<string, string>> Keys(params string[] pairs) =>
        pairs.Select(p => { int eq = p.IndexOf('='); return new KeyValuePair<string, string>(p[..eq], p[(eq + 1)..]); }).ToList();

    private static string Get(List<KeyValuePair<string, string>> keys, string key) => keys.Single(k => k.Key == key).Value;

    /// <summary>Starts an exchange with CHAP_A=<paramref name="offer"/> and returns the target's I and C.</summary>
    private static (ChapTargetExchange X, ChapAlgorithm A, byte I, byte[] C) Start(string offer, ChapCredentials? creds = null)
    {
        var x = new ChapTargetExchange(creds ?? new ChapCredentials(User, Secret, MutualUser, MutualSecret));
        var response = new List<KeyValuePair<string, string>>();
        Assert.Equal(ChapStep.Continue, x.Process(Keys("CHAP_A=" + offer), response));
        Assert.Equal(new[] { "CHAP_A", "CHAP_I", "CHAP_C" }, response.Select(k => k.Key));
        var a = (ChapAlgorithm)int.Parse(Get(response, "CHAP_A"), CultureInfo.InvariantCulture);
        Assert.Equal(a, x.Algorithm);
        var i = byte.Parse(Get(response, "CHAP_I"), CultureInfo.InvariantCulture);
        Assert.StartsWith("0x", Get(response, "CHAP_C"));
        Assert.True(Chap.TryDecodeBinary(Get(response, "CHAP_C"), out var c));
        return (x, a, i, c);
    }

    private static string Answer(ChapAlgorithm a, byte i, string secret, byte[] c) =>
        Chap.EncodeHex(Chap.ComputeResponse(a, i, Encoding.UTF8.GetBytes(secret), c));

    private static void AssertFailedWithoutSecrets(ChapTargetExchange x, ChapStep step)
    {
        Assert.Equal(ChapStep.Failed, step);
        Assert.NotEmpty(x.FailureReason);
        Assert.DoesNotContain(Secret, x.FailureReason);
        Assert.DoesNotContain(MutualSecret, x.FailureReason);
    }

    [Fact]
    public void OneWayMd5_Authenticates()
    {
        var (x, a, i, c) = Start("5");
        Assert.Equal(ChapAlgorithm.Md5, a);
        Assert.True(c.Length >= 16);
        var response = new List<KeyValuePair<string, string>>();
        Assert.Equal(ChapStep.Authenticated, x.Process(Keys("CHAP_N=" + User, "CHAP_R=" + Answer(a, i, Secret, c)), response));
        Assert.Empty(response);
    }

    [Fact]
    public void UppercaseHexResponseAsLibiscsiSends_Authenticates()
    {
        var (x, a, i, c) = Start("5");
        var r = "0x" + Convert.ToHexString(Chap.ComputeResponse(a, i, Encoding.UTF8.GetBytes(Secret), c));
        Assert.Equal(ChapStep.Authenticated, x.Process(Keys("CHAP_N=" + User, "CHAP_R=" + r), new()));
    }

    [Fact]
    public void Base64Response_Authenticates()
    {
        var (x, a, i, c) = Start("5");
        var r = "0b" + Convert.ToBase64String(Chap.ComputeResponse(a, i, Encoding.UTF8.GetBytes(Secret), c));
        Assert.Equal(ChapStep.Authenticated, x.Process(Keys("CHAP_N=" + User, "CHAP_R=" + r), new()));
    }

    [Fact]
    public void Sha256Offered_7_5_ChoosesSha256()
    {
        var (x, a, i, c) = Start("7,5");
        Assert.Equal(ChapAlgorithm.Sha256, a);
        Assert.True(c.Length >= 32);
        Assert.Equal(ChapStep.Authenticated, x.Process(Keys("CHAP_N=" + User, "CHAP_R=" + Answer(a, i, Secret, c)), new()));
    }

    [Fact]
    public void Sha256Chosen_Md5ResponseFails()
    {
        var (x, _, i, c) = Start("7,5");
        AssertFailedWithoutSecrets(x, x.Process(Keys("CHAP_N=" + User, "CHAP_R=" + Answer(ChapAlgorithm.Md5, i, Secret, c)), new()));
    }

    [Fact]
    public void FirstOfferedSupportedAlgorithmWins()
    {
        Assert.Equal(ChapAlgorithm.Md5, Start("5,7").A);
        Assert.Equal(ChapAlgorithm.Md5, Start("99,5").A);
        Assert.Equal(ChapAlgorithm.Sha1, Start("6").A);
    }

    [Fact]
    public void ChallengesAndIdentifiersAreFresh()
    {
        var challenges = Enumerable.Range(0, 8).Select(_ => Convert.ToHexString(Start("5").C)).ToList();
        Assert.Equal(challenges.Count, challenges.Distinct().Count());
    }

    [Fact]
    public void Mutual_TargetAnswersWithItsNameAndResponse()
    {
        var (x, a, i, c) = Start("5");
        var initiatorChallenge = Enumerable.Range(1, 16).Select(b => (byte)b).ToArray();
        var response = new List<KeyValuePair<string, string>>();
        var step = x.Process(Keys("CHAP_N=" + User, "CHAP_R=" + Answer(a, i, Secret, c), "CHAP_I=77",
            "CHAP_C=" + Chap.EncodeHex(initiatorChallenge)), response);
        Assert.Equal(ChapStep.Authenticated, step);
        Assert.Equal(new[] { "CHAP_N", "CHAP_R" }, response.Select(k => k.Key));
        Assert.Equal(MutualUser, Get(response, "CHAP_N"));
        Assert.True(Chap.TryDecodeBinary(Get(response, "CHAP_R"), out var ours));
        Assert.Equal(Chap.ComputeResponse(ChapAlgorithm.Md5, 77, Encoding.UTF8.GetBytes(MutualSecret), initiatorChallenge), ours);
        Assert.NotEqual(Chap.ComputeResponse(ChapAlgorithm.Md5, 77, Encoding.UTF8.GetBytes(Secret), initiatorChallenge), ours);
    }

    [Fact]
    public void Mutual_Base64ChallengeAndSha256()
    {
        var (x, a, i, c) = Start("7");
        var initiatorChallenge = Enumerable.Range(100, 32).Select(b => (byte)b).ToArray();
        var response = new List<KeyValuePair<string, string>>();
        var step = x.Process(Keys("CHAP_N=" + User, "CHAP_R=" + Answer(a, i, Secret, c), "CHAP_I=0",
            "CHAP_C=0b" + Convert.ToBase64String(initiatorChallenge)), response);
        Assert.Equal(ChapStep.Authenticated, step);
        Assert.True(Chap.TryDecodeBinary(Get(response, "CHAP_R"), out var ours));
        Assert.Equal(Chap.ComputeResponse(ChapAlgorithm.Sha256, 0, Encoding.UTF8.GetBytes(MutualSecret), initiatorChallenge), ours);
    }

    [Fact]
    public void Mutual_WithoutMutualCredentials_Fails()
    {
        var (x, a, i, c) = Start("5", new ChapCredentials(User, Secret));
        var response = new List<KeyValuePair<string, string>>();
        AssertFailedWithoutSecrets(x, x.Process(Keys("CHAP_N=" + User, "CHAP_R=" + Answer(a, i, Secret, c), "CHAP_I=1", "CHAP_C=0x0102030405060708"), response));
        Assert.Empty(response);
    }

    [Theory]
    [InlineData("CHAP_I=1")]
    [InlineData("CHAP_C=0x0102030405060708")]
    public void Mutual_OnlyHalfOfIAndC_Fails(string extra)
    {
        var (x, a, i, c) = Start("5");
        AssertFailedWithoutSecrets(x, x.Process(Keys("CHAP_N=" + User, "CHAP_R=" + Answer(a, i, Secret, c), extra), new()));
    }

    [Theory]
    [InlineData("256", "0x0102030405060708")]
    [InlineData("-1", "0x0102030405060708")]
    [InlineData("x", "0x0102030405060708")]
    [InlineData("1", "0x")]
    [InlineData("1", "nothex")]
    public void Mutual_BadIdentifierOrChallenge_Fails(string id, string challenge)
    {
        var (x, a, i, c) = Start("5");
        var response = new List<KeyValuePair<string, string>>();
        AssertFailedWithoutSecrets(x, x.Process(Keys("CHAP_N=" + User, "CHAP_R=" + Answer(a, i, Secret, c), "CHAP_I=" + id, "CHAP_C=" + challenge), response));
        Assert.Empty(response);
    }

    [Fact]
    public void Mutual_ReflectedChallenge_Fails()
    {
        var (x, a, i, c) = Start("5");
        var response = new List<KeyValuePair<string, string>>();
        AssertFailedWithoutSecrets(x, x.Process(Keys("CHAP_N=" + User, "CHAP_R=" + Answer(a, i, Secret, c), "CHAP_I=" + i,
            "CHAP_C=" + Chap.EncodeHex(c)), response));
        Assert.Empty(response); // no CHAP_R computed over our own challenge
    }

    [Fact]
    public void WrongResponse_Fails()
    {
        var (x, a, i, c) = Start("5");
        AssertFailedWithoutSecrets(x, x.Process(Keys("CHAP_N=" + User, "CHAP_R=" + Answer(a, i, "wrong", c)), new()));
    }

    [Fact]
    public void TruncatedResponse_Fails()
    {
        var (x, a, i, c) = Start("5");
        var r = Chap.ComputeResponse(a, i, Encoding.UTF8.GetBytes(Secret), c);
        AssertFailedWithoutSecrets(x, x.Process(Keys("CHAP_N=" + User, "CHAP_R=" + Chap.EncodeHex(r.AsSpan(0, 15))), new()));
    }

    [Fact]
    public void UnknownUser_Fails_EvenWithTheRightSecret()
    {
        var (x, a, i, c) = Start("5");
        AssertFailedWithoutSecrets(x, x.Process(Keys("CHAP_N=someoneelse", "CHAP_R=" + Answer(a, i, Secret, c)), new()));
        Assert.Contains("someoneelse", x.FailureReason);
    }

    [Fact]
    public void ResponseNotBinary_Fails()
    {
        var (x, _, _, _) = Start("5");
        AssertFailedWithoutSecrets(x, x.Process(Keys("CHAP_N=" + User, "CHAP_R=" + Secret), new()));
    }

    [Fact]
    public void MissingNameOrResponse_Fails()
    {
        var (x, a, i, c) = Start("5");
        AssertFailedWithoutSecrets(x, x.Process(Keys("CHAP_R=" + Answer(a, i, Secret, c)), new()));
    }

    [Theory]
    [InlineData("1,2")]
    [InlineData("99")]
    [InlineData("md5")]
    [InlineData("")]
    public void NoSupportedAlgorithm_RejectsChapAAndFails(string offer)
    {
        var x = new ChapTargetExchange(new ChapCredentials(User, Secret));
        var response = new List<KeyValuePair<string, string>>();
        AssertFailedWithoutSecrets(x, x.Process(Keys("CHAP_A=" + offer), response));
        Assert.Equal(new KeyValuePair<string, string>("CHAP_A", "Reject"), Assert.Single(response));
    }

    [Fact]
    public void FirstStepWithoutChapA_Fails()
    {
        var x = new ChapTargetExchange(new ChapCredentials(User, Secret));
        var response = new List<KeyValuePair<string, string>>();
        AssertFailedWithoutSecrets(x, x.Process(Keys("CHAP_N=" + User, "CHAP_R=0x00"), response));
        Assert.Empty(response);
    }

    [Fact]
    public void ReplayOfCapturedLibiscsiResponse_IsRefused()
    {
        // A response recorded against tgt's challenge does not answer our fresh one.
        var (_, _, n, r, _) = ChapTests.FromCapture("inquiry-chap.0");
        var (x, _, _, _) = Start("5");
        AssertFailedWithoutSecrets(x, x.Process(Keys("CHAP_N=" + n, "CHAP_R=" + Chap.EncodeHex(r)), new()));
    }
}
