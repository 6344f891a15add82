using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SharpSan.Protocol.Tests;

/// <summary>CHAP responses recomputed from the captures (RFC 1994: MD5(I || secret || C)).</summary>
public class ChapTests
{
    private const string Secret = "capsecret-123";

    /// <summary>(CHAP_I, CHAP_C) the target sent and (CHAP_N, CHAP_R) the initiator answered.</summary>
    internal static (byte I, byte[] C, string N, byte[] R, ChapAlgorithm A) FromCapture(string capture)
    {
        var c2s = Framer.FrameCapture(capture + ".c2s.bin").Where(p => p.Opcode == Opcode.LoginRequest).ToList();
        var s2c = Framer.FrameCapture(capture + ".s2c.bin").Where(p => p.Opcode == Opcode.LoginResponse).ToList();
        string Key(FramedPdu p, string k) => p.Keys.Single(kv => kv.Key == k).Value;
        var challengePdu = s2c.Single(p => p.Keys.Any(k => k.Key == "CHAP_C"));
        var responsePdu = c2s.Single(p => p.Keys.Any(k => k.Key == "CHAP_R"));
        Assert.True(Chap.TryDecodeBinary(Key(challengePdu, "CHAP_C"), out var c));
        Assert.True(Chap.TryDecodeBinary(Key(responsePdu, "CHAP_R"), out var r));
        return (byte.Parse(Key(challengePdu, "CHAP_I"), CultureInfo.InvariantCulture), c, Key(responsePdu, "CHAP_N"), r,
            (ChapAlgorithm)int.Parse(Key(challengePdu, "CHAP_A"), CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("inquiry-chap.0")]
    [InlineData("rw-headerdigest-chap.0")]
    [InlineData("kernel-login-chap-digests.1")]
    public void CapturedResponse_IsMd5OfIdentifierSecretChallenge(string capture)
    {
        var (i, c, n, r, a) = FromCapture(capture);
        Assert.Equal(ChapAlgorithm.Md5, a);
        Assert.Equal("capuser", n);
        Assert.Equal(16, r.Length);
        Assert.Equal(r, Chap.ComputeResponse(ChapAlgorithm.Md5, i, Encoding.UTF8.GetBytes(Secret), c));
        Assert.NotEqual(r, Chap.ComputeResponse(ChapAlgorithm.Md5, (byte)(i + 1), Encoding.UTF8.GetBytes(Secret), c));
    }

    [Fact]
    public void InquiryCapture_KnownValues()
    {
        var (i, c, _, r, _) = FromCapture("inquiry-chap.0");
        Assert.Equal(1, i);
        Assert.Equal(Convert.FromHexString("cec4bae17f28bcff0126ed7457a217c7b5ff1558244935a1ea22cfc10c5988604cde0915a431a873307ea1d3f95a6c13781d"), c);
        Assert.Equal(Convert.FromHexString("DF44EF6A0D230B7F8ED875864CDCE8B6"), r);
    }

    [Fact]
    public void WrongSecretCapture_MatchesWrongNotRight_AndTargetAnswered0201()
    {
        var (i, c, _, r, _) = FromCapture("chap-wrong-secret.0");
        Assert.Equal(r, Chap.ComputeResponse(ChapAlgorithm.Md5, i, "wrong"u8, c));
        Assert.NotEqual(r, Chap.ComputeResponse(ChapAlgorithm.Md5, i, Encoding.UTF8.GetBytes(Secret), c));
        var last = Framer.FrameCapture("chap-wrong-secret.0.s2c.bin")[^1];
        Assert.Equal(Opcode.LoginResponse, last.Opcode);
        Assert.Equal(LoginStatus.AuthenticationFailure, (LoginStatus)((last.Header[36] << 8) | last.Header[37]));
    }

    [Fact]
    public void SuccessfulLogins_AnsweredStatusSuccess()
    {
        foreach (var file in new[] { "inquiry-chap.0.s2c.bin", "kernel-login-chap-digests.1.s2c.bin" })
            Assert.All(Framer.FrameCapture(file).Where(p => p.Opcode == Opcode.LoginResponse),
                p => Assert.Equal(LoginStatus.Success, (LoginStatus)((p.Header[36] << 8) | p.Header[37])));
    }

    [Theory]
    [InlineData(ChapAlgorithm.Md5, 16)]
    [InlineData(ChapAlgorithm.Sha1, 20)]
    [InlineData(ChapAlgorithm.Sha256, 32)]
    public void OtherAlgorithms_HashIdentifierSecretChallenge(ChapAlgorithm a, int length)
    {
        var input = new byte[] { 9 }.Concat("s3cret"u8.ToArray()).Concat(new byte[] { 1, 2, 3 }).ToArray();
        byte[] expected = a switch
        {
            ChapAlgorithm.Md5 => MD5.HashData(input),
            ChapAlgorithm.Sha1 => SHA1.HashData(input),
            _ => SHA256.HashData(input),
        };
        Assert.Equal(expected, Chap.ComputeResponse(a, 9, "s3cret"u8, new byte[] { 1, 2, 3 }));
        Assert.Equal(length, Chap.DigestLength(a));
        Assert.True(Chap.IsSupported(a));
    }

    [Theory]
    [InlineData("0x0102ff", new byte[] { 1, 2, 0xff })]
    [InlineData("0X0102FF", new byte[] { 1, 2, 0xff })]
    [InlineData("0x102", new byte[] { 1, 2 })] // odd digit count: implied leading zero nibble
    [InlineData("0bAQL/", new byte[] { 1, 2, 0xff })]
    [InlineData("0BAQL/", new byte[] { 1, 2, 0xff })]
    public void TryDecodeBinary_Valid(string value, byte[] expected)
    {
        Assert.True(Chap.TryDecodeBinary(value, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0b")]
    [InlineData("0xzz")]
    [InlineData("0b!!!!")]
    [InlineData("1234")]
    [InlineData("DF44EF6A")]
    public void TryDecodeBinary_Invalid(string value)
    {
        Assert.False(Chap.TryDecodeBinary(value, out _));
    }

    [Fact]
    public void EncodeHex_LowercaseWithPrefix()
    {
        Assert.Equal("0x00abff", Chap.EncodeHex(new byte[] { 0, 0xab, 0xff }));
    }

    [Fact]
    public void Credentials_ToStringHidesSecrets()
    {
        var c = new ChapCredentials("capuser", "capsecret-123", "tgtuser", "mutual-secret-9");
        Assert.True(c.HasMutual);
        Assert.DoesNotContain("capsecret-123", c.ToString());
        Assert.DoesNotContain("mutual-secret-9", c.ToString());
        Assert.False(new ChapCredentials("u", "s").HasMutual);
    }
}
