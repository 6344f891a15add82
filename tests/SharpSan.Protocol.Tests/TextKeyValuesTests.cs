using System.Buffers;
using System.Text;

namespace SharpSan.Protocol.Tests;

public class TextKeyValuesTests
{
    private static List<FramedPdu> Login(string file) =>
        Framer.FrameCapture(file).Where(p => p.Opcode is Opcode.LoginRequest or Opcode.LoginResponse).ToList();

    [Fact]
    public void LibiscsiLogin_SecurityAndChapKeys()
    {
        var c2s = Login("inquiry-chap.0.c2s.bin");
        Assert.Equal(
            "InitiatorName=iqn.2026-11.io.sharpsan.test:cap|TargetName=iqn.2026-11.test:tgtshm|SessionType=Normal|AuthMethod=CHAP,None",
            c2s[0].Text);
        Assert.Equal("CHAP_A=5", c2s[1].Text);
        Assert.Equal("CHAP_N=capuser|CHAP_R=0xDF44EF6A0D230B7F8ED875864CDCE8B6", c2s[2].Text);
        Assert.Equal(16, c2s[3].Keys.Count);
        Assert.Equal(new KeyValuePair<string, string>("HeaderDigest", "None,CRC32C"), c2s[3].Keys[0]);
        Assert.Equal(new KeyValuePair<string, string>("MaxRecvDataSegmentLength", "262144"), c2s[3].Keys[13]);

        var s2c = Login("inquiry-chap.0.s2c.bin");
        Assert.Equal("TargetPortalGroupTag=1|AuthMethod=CHAP", s2c[0].Text);
        var chap = s2c[1].Keys;
        Assert.Equal(new[] { "CHAP_A", "CHAP_I", "CHAP_C" }, chap.Select(k => k.Key));
        Assert.Equal("5", chap[0].Value);
        Assert.Equal("1", chap[1].Value);
        Assert.StartsWith("0xcec4bae1", chap[2].Value);
        Assert.Empty(s2c[2].Keys);
    }

    [Fact]
    public void KernelLogin_DeclarativesAndOffers()
    {
        var c2s = Login("kernel-login-chap-digests.1.c2s.bin");
        Assert.Equal(
            "InitiatorName=iqn.2024-01.org.kinit:host1|InitiatorAlias=(none)|TargetName=iqn.2026-11.test:tgtshm|SessionType=Normal|AuthMethod=CHAP,None",
            c2s[0].Text);
        Assert.Contains(new KeyValuePair<string, string>("MaxBurstLength", "16776192"), c2s[3].Keys);
        var discovery = Login("kernel-login-chap-digests.0.c2s.bin");
        Assert.Contains(new KeyValuePair<string, string>("SessionType", "Discovery"), discovery[0].Keys);
    }

    [Fact]
    public void DiscoveryTextResponse_SendTargets()
    {
        var s2c = Framer.FrameAll(Captures.Load("discovery.0.s2c.bin"));
        var text = s2c.Single(p => p.Opcode == Opcode.TextResponse);
        Assert.Equal(
            "TargetName=iqn.2026-11.test:tgt1|TargetAddress=127.0.0.1:3261,1|TargetName=iqn.2026-11.test:tgtshm|TargetAddress=127.0.0.1:3261,1",
            text.Text); // keeps order and repeated keys; trailing NULs are tolerated
    }

    public static TheoryData<string> CapturedTexts => new()
    {
        "inquiry-chap.0.c2s.bin", "inquiry-chap.0.s2c.bin", "kernel-login-chap-digests.1.c2s.bin",
        "kernel-login-chap-digests.1.s2c.bin", "discovery.0.c2s.bin",
    };

    [Theory]
    [MemberData(nameof(CapturedTexts))]
    public void Encode_ReproducesTheCapturedLoginDataSegments(string file)
    {
        foreach (var p in Login(file).Where(p => p.Data.Length > 0))
        {
            var encoded = TextKeyValues.Encode(p.Keys);
            Assert.Equal(p.Data.AsSpan().TrimEnd((byte)0).ToArray(), encoded.AsSpan().TrimEnd((byte)0).ToArray());
            Assert.Equal(0, encoded[^1]);
        }
    }

    [Fact]
    public void EncodeParse_RoundTrip()
    {
        var pairs = new List<KeyValuePair<string, string>>
        {
            new("A", "1"), new("X-com.example.key", "some value, with comma"), new("A", "again"), new("Empty", ""),
            new("Utf8", "ünïcødé"), new("CHAP_C", "0x" + new string('a', 2048)),
        };
        var bytes = TextKeyValues.Encode(pairs);
        Assert.Equal(pairs, TextKeyValues.Parse(bytes));
        Assert.Equal(pairs, TextKeyValues.Parse(Sequences.Chunked(bytes, 3)));
        Assert.Equal(pairs, TextKeyValues.Parse(new ReadOnlySequence<byte>(bytes)));
        Assert.Equal("A=1\0"u8.ToArray(), TextKeyValues.Encode(new[] { new KeyValuePair<string, string>("A", "1") }));
        Assert.Empty(TextKeyValues.Parse(ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void ValueMayContainEquals_SplitAtTheFirstOne()
    {
        var kv = Assert.Single(TextKeyValues.Parse("CHAP_R=0bAAA=\0"u8));
        Assert.Equal("CHAP_R", kv.Key);
        Assert.Equal("0bAAA=", kv.Value);
    }

    [Fact]
    public void LastPairWithoutNulAndPaddingNuls_AreAccepted()
    {
        Assert.Equal("B", Assert.Single(TextKeyValues.Parse("A=B"u8)).Value);
        Assert.Equal(2, TextKeyValues.Parse("A=B\0\0\0C=D\0\0"u8).Count);
    }

    [Theory]
    [InlineData("NoEquals\0")]
    [InlineData("A=1\0garbage\0")]
    [InlineData("=value\0")]
    public void Malformed_Throws(string text)
    {
        Assert.Throws<FormatException>(() => TextKeyValues.Parse(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void KeyLength_63Ok_64Throws()
    {
        var ok = new string('K', 63) + "=v\0";
        Assert.Equal(new string('K', 63), Assert.Single(TextKeyValues.Parse(Encoding.UTF8.GetBytes(ok))).Key);
        var tooLong = new string('K', 64) + "=v\0";
        Assert.Throws<FormatException>(() => TextKeyValues.Parse(Encoding.UTF8.GetBytes(tooLong)));
    }

    [Fact]
    public void ValueLength_8192Ok_8193Throws()
    {
        Assert.Single(TextKeyValues.Parse(Encoding.UTF8.GetBytes("K=" + new string('v', 8192) + "\0")));
        Assert.Throws<FormatException>(() => TextKeyValues.Parse(Encoding.UTF8.GetBytes("K=" + new string('v', 8193) + "\0")));
    }
}
