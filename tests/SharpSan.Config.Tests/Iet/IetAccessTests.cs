using System.Net;

namespace SharpSan.Config.Tests.Iet;

/// <summary>initiators.allow / initiators.deny / targets.allow onto each target's rules, and
/// <see cref="TgtTargetConfig.Admits"/> reproducing IET's plain_initiator_allow decision.</summary>
public sealed class IetAccessTests : IDisposable
{
    private const string Other = "iqn.2001-04.org.ultimana:storage.disk2";
    private const string Host1 = "iqn.1994-05.com.redhat:host1";
    private const string Host2 = "iqn.1994-05.com.redhat:host2";
    private static readonly IPAddress Local = IPAddress.Loopback;
    private static readonly IPAddress Lan = IPAddress.Parse("192.168.22.7");
    private readonly IetFiles _f = new();

    public void Dispose() => _f.Dispose();

    private TgtTargetConfig Rules(string? allow, string? deny, string? targetsAllow = null)
    {
        if (allow is not null) _f.Write("initiators.allow", allow);
        if (deny is not null) _f.Write("initiators.deny", deny);
        if (targetsAllow is not null) _f.Write("targets.allow", targetsAllow);
        return _f.Load($"Target {IetFiles.Iqn}\nTarget {Other}\n").Config.Targets[0].Tgt!;
    }

    [Fact]
    public void No_files_admit_everyone()
    {
        var t = Rules(null, null);
        Assert.Equal(["ALL"], t.InitiatorAddresses);
        Assert.True(t.Admits(Lan, Host1));
    }

    [Fact]
    public void The_packaged_files_admit_everyone()
    {
        // IET's etc/initiators.allow ("ALL ALL") and etc/initiators.deny (examples only, commented out).
        var t = Rules("# The semantics are:\n#iqn.2001-04.com.example:storage.disk1.sys1.xyz 192.168.0.0/16\nALL ALL\n",
            "# Some examples\n#ALL ALL\n");
        Assert.Equal(["ALL"], t.InitiatorAddresses);
        Assert.False(t.HasDenyRules);
    }

    [Fact]
    public void An_allow_file_alone_is_a_whitelist_and_a_target_without_a_line_admits_nobody()
    {
        _f.Write("initiators.allow", $"{IetFiles.Iqn} 192.168.22.0/24, [3ffe:505:2:1::]/64, {Host1}\n");
        var r = _f.Load($"Target {IetFiles.Iqn}\nTarget {Other}\n");
        var t = r.Config.Targets[0].Tgt!;
        Assert.Equal(["192.168.22.0/24", "[3ffe:505:2:1::]/64"], t.InitiatorAddresses);
        Assert.Equal([Host1], t.InitiatorNames);
        Assert.True(t.Admits(Lan, Host2));
        Assert.True(t.Admits(Local, Host1));
        Assert.False(t.Admits(Local, Host2));
        var other = r.Config.Targets[1].Tgt!;
        Assert.Empty(other.InitiatorAddresses);
        Assert.Empty(other.InitiatorNames);
        Assert.False(other.Admits(Local, Host1));
        Assert.Equal([_f.File("initiators.allow")], r.AccessFiles);
    }

    [Fact]
    public void Deny_all_with_allow_lines_admits_only_the_allowed()
    {
        var t = Rules($"{IetFiles.Iqn} 127.0.0.1\n", "ALL ALL\n");
        Assert.Equal(["127.0.0.1"], t.InitiatorAddresses);
        Assert.False(t.HasDenyRules);
        Assert.True(t.Admits(Local, Host1));
        Assert.False(t.Admits(Lan, Host1));
    }

    [Fact]
    public void A_deny_line_for_some_addresses_keeps_everyone_else_in()
    {
        var t = Rules(null, $"{IetFiles.Iqn} 127.0.0.1, {Host2}\n");
        Assert.Empty(t.InitiatorAddresses);
        Assert.Equal(["127.0.0.1"], t.DeniedAddresses);
        Assert.Equal([Host2], t.DeniedNames);
        Assert.True(t.Admits(Lan, Host1));
        Assert.False(t.Admits(Local, Host1));
        Assert.False(t.Admits(Lan, Host2));
    }

    [Fact]
    public void Allow_wins_over_deny_as_in_IET()
    {
        var t = Rules($"{IetFiles.Iqn} {Host1}\n", $"{IetFiles.Iqn} 127.0.0.0/8\n");
        Assert.True(t.Admits(Local, Host1));
        Assert.False(t.Admits(Local, Host2));
        Assert.True(t.Admits(Lan, Host2));
    }

    [Fact]
    public void A_deny_file_without_a_line_for_the_target_denies_nothing()
    {
        var t = Rules($"{Other} 10.0.0.1\n", $"{Other} ALL\n");
        Assert.Equal(["ALL"], t.InitiatorAddresses);
    }

    [Fact]
    public void The_first_line_for_the_target_or_ALL_decides_and_later_lines_are_noted()
    {
        _f.Write("initiators.allow", $"ALL 127.0.0.1\n{IetFiles.Iqn} ALL\niqn.2001-04.org.ultimana:gone 10.0.0.1\n");
        var r = _f.Load($"Target {IetFiles.Iqn}\n");
        Assert.Equal(["127.0.0.1"], r.Config.Targets[0].Tgt!.InitiatorAddresses);
        var allow = _f.File("initiators.allow");
        Assert.Contains($"{allow}:2: never read: the ALL line 1 comes first and decides for every target", r.Notes);
        Assert.Contains($"{allow}:3: never read: the ALL line 1 comes first and decides for every target", r.Notes);
    }

    [Fact]
    public void A_line_for_an_unknown_target_is_noted()
    {
        _f.Write("initiators.deny", "iqn.2001-04.org.ultimana:gone ALL\n");
        var r = _f.Load($"Target {IetFiles.Iqn}\n");
        Assert.Contains($"{_f.File("initiators.deny")}:1: never read: no target iqn.2001-04.org.ultimana:gone in the configuration", r.Notes);
    }

    [Theory]
    [InlineData("192.168.1.5/32", "192.168.1.5/32")]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("[fe80::1]", "[fe80::1]")]
    [InlineData("3ffe:505:2:1::/64", "[3ffe:505:2:1::]/64")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void Addresses_and_networks(string entry, string rule)
    {
        Assert.Equal([rule], Rules($"{IetFiles.Iqn} {entry}\n", null).InitiatorAddresses);
    }

    [Fact]
    public void Escaped_dots_in_names_are_literal()
    {
        Assert.Equal(["iqn.1998-01.com.vmware:esx1"], Rules($"{IetFiles.Iqn} iqn\\.1998-01\\.com\\.vmware:esx1\n", null).InitiatorNames);
    }

    public static TheoryData<string, string, int, string> Errors() => new()
    {
        { "initiators.allow", IetFiles.Iqn + " 192.168.1.5/24\n", 1, "\"192.168.1.5/24\" has host bits set, so IET never matches it (write the network address, e.g. 192.168.1.0/24)" },
        { "initiators.allow", IetFiles.Iqn + " 10.0.0.0/33\n", 1, "\"10.0.0.0/33\": the prefix length must be 0 to 32" },
        { "initiators.allow", "# c\n" + IetFiles.Iqn + " 192.168.1.300\n", 2, "\"192.168.1.300\" is not an IP address or network" },
        { "initiators.allow", IetFiles.Iqn + " [fe80::1\n", 1, "\"[fe80::1\" is not an [IPv6 address] or [IPv6 address]/prefix" },
        { "initiators.deny", IetFiles.Iqn + " .*:mscs1-[1-4]\\.example\\.com\n", 1, "is a regular expression: initiator name patterns are not supported" },
        { "initiators.deny", "ALL ALL # everyone\n", 1, "\"ALL # everyone\" contains blanks" },
        { "targets.allow", IetFiles.Iqn + " " + Host1 + "\n", 1, $"\"{Host1}\" is not ALL, an IP address or a network" },
        { "targets.allow", IetFiles.Iqn + " 192.168.22.24\nALL ALL\n", 1, "limiting target " + IetFiles.Iqn + " to some local addresses is not supported" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Refused_with_file_line_and_reason(string file, string text, int line, string reason)
    {
        _f.Write(file, text);
        var message = _f.Error($"Target {IetFiles.Iqn}\n");
        Assert.StartsWith($"{_f.File(file)}:{line}: ", message);
        Assert.Contains(reason, message);
    }

    [Fact]
    public void Targets_allow_without_a_line_for_a_target_is_refused_and_ALL_ALL_is_fine()
    {
        _f.Write("targets.allow", $"{Other} ALL\n");
        Assert.Equal($"{_f.File("targets.allow")}: no line for target {IetFiles.Iqn} and no ALL line, so IET would hide it on every address; add \"ALL ALL\"",
            _f.Error($"Target {IetFiles.Iqn}\n"));
        _f.Write("targets.allow", "ALL ALL\n");
        Assert.Equal(["ALL"], _f.Load($"Target {IetFiles.Iqn}\n").Config.Targets[0].Tgt!.InitiatorAddresses);
    }

    [Fact]
    public void Default_access_directories_are_beside_the_file_and_etc_for_etc_iet()
    {
        Assert.Equal(["/srv/iet"], IetdConfReader.DefaultAccessDirectories("/srv/iet/ietd.conf"));
        Assert.Equal(["/etc/iet", "/etc"], IetdConfReader.DefaultAccessDirectories("/etc/iet/ietd.conf"));
        Assert.Equal(["/etc"], IetdConfReader.DefaultAccessDirectories("/etc/ietd.conf"));
    }
}
