namespace SharpSan.Protocol.Tests;

public class SerialNumberTests
{
    [Theory]
    [InlineData(1u, 2u)]
    [InlineData(0u, 0x7FFFFFFFu)]          // largest forward distance, 2^31 - 1
    [InlineData(0xFFFFFFFFu, 0u)]          // wrap
    [InlineData(0xFFFFFFF0u, 5u)]
    [InlineData(0x7FFFFFFFu, 0x80000000u)]
    [InlineData(0x80000000u, 0xFFFFFFFEu)]
    public void LessThan_AcrossTheWrap(uint a, uint b)
    {
        Assert.True(SerialNumber.LessThan(a, b));
        Assert.False(SerialNumber.GreaterThan(a, b));
        Assert.True(SerialNumber.GreaterThan(b, a));
        Assert.False(SerialNumber.LessThan(b, a));
        Assert.True(SerialNumber.LessOrEqual(a, b));
        Assert.False(SerialNumber.GreaterOrEqual(a, b));
        Assert.True(SerialNumber.GreaterOrEqual(b, a));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(0x80000000u)]
    [InlineData(0xFFFFFFFFu)]
    public void Equal_IsNeitherLessNorGreater(uint a)
    {
        Assert.False(SerialNumber.LessThan(a, a));
        Assert.False(SerialNumber.GreaterThan(a, a));
        Assert.True(SerialNumber.LessOrEqual(a, a));
        Assert.True(SerialNumber.GreaterOrEqual(a, a));
    }

    [Fact]
    public void PlainComparisonWouldBeWrong()
    {
        // 0xFFFFFFFF + 1 wraps to 0, which is "after" it.
        Assert.True(0xFFFFFFFFu > 0u);
        Assert.True(SerialNumber.GreaterThan(0u, 0xFFFFFFFFu));
    }

    [Theory]
    [InlineData(5u, 5u, 10u, true)]
    [InlineData(10u, 5u, 10u, true)]
    [InlineData(4u, 5u, 10u, false)]
    [InlineData(11u, 5u, 10u, false)]
    [InlineData(0xFFFFFFF0u, 0xFFFFFFF0u, 5u, true)]
    [InlineData(0xFFFFFFFFu, 0xFFFFFFF0u, 5u, true)]
    [InlineData(0u, 0xFFFFFFF0u, 5u, true)]
    [InlineData(5u, 0xFFFFFFF0u, 5u, true)]
    [InlineData(6u, 0xFFFFFFF0u, 5u, false)]
    [InlineData(0xFFFFFFEFu, 0xFFFFFFF0u, 5u, false)]
    [InlineData(7u, 7u, 7u, true)]
    [InlineData(8u, 7u, 6u, false)] // empty window (MaxCmdSN = ExpCmdSN - 1): nothing fits
    [InlineData(7u, 7u, 6u, false)]
    public void InWindow(uint sn, uint low, uint high, bool expected)
    {
        Assert.Equal(expected, SerialNumber.InWindow(sn, low, high));
    }

    [Fact]
    public void CapturedCmdSNs_AreInTheTargetsWindow()
    {
        // inquiry-chap: each command's CmdSN lies in [ExpCmdSN, MaxCmdSN] of the previous response.
        var c2s = Framer.FrameCapture("inquiry-chap.0.c2s.bin").Where(p => p.Opcode == Opcode.ScsiCommand).ToList();
        var s2c = Framer.FrameCapture("inquiry-chap.0.s2c.bin");
        var lastLogin = s2c.Last(p => p.Opcode == Opcode.LoginResponse);
        var window = LoginResponsePdu.Decode(lastLogin.Header);
        Assert.True(SerialNumber.InWindow(ScsiCommandPdu.Decode(c2s[0].Header).Sequence.CmdSN, window.Sequence.ExpCmdSN, window.Sequence.MaxCmdSN));
    }
}
