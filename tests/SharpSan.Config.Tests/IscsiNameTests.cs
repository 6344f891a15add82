namespace SharpSan.Config.Tests;

public class IscsiNameTests
{
    [Theory]
    [InlineData("iqn.2003-01.org.linux-iscsi.host.x8664:sn.8b2f6c1d9e4a")]
    [InlineData("iqn.1993-08.org.debian:01:4e5f6a7b8c9d")]
    [InlineData("iqn.2001-04.com.example")]
    [InlineData("iqn.2001-04.com.example:storage:diskarrays-sn-a8675309")]
    [InlineData("eui.02004567A425678D")]
    [InlineData("naa.52004567BA64678D")]
    [InlineData("naa.62004567BA64678D0123456789ABCDEF")]
    public void Valid_names(string name) => Assert.Null(IscsiName.Check(name));

    [Theory]
    [InlineData("", "empty")]
    [InlineData("iqn.2001-4.com.example", "not a valid iqn")]
    [InlineData("iqn.2001-00.com.example", "not a valid iqn")]
    [InlineData("iqn.2001-04.com.example:a b", "not a valid iqn")]
    [InlineData("iqn.2001-04.com.exa_mple", "not a valid iqn")]
    [InlineData("iqn.2001-04.Com.Example", "must be lowercase")]
    [InlineData("eui.02004567A425678", "not a valid eui")]
    [InlineData("naa.1234", "not a valid naa")]
    [InlineData("target1", "not an iSCSI name")]
    public void Invalid_names(string name, string reason) => Assert.Contains(reason, IscsiName.Check(name));

    [Fact]
    public void Longer_than_223_bytes_is_refused()
        => Assert.Contains("223", IscsiName.Check("iqn.2001-04.com.example:" + new string('a', 200)));
}
