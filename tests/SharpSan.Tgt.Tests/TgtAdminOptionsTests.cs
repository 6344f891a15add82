using SharpSan.Tgt.Admin;

namespace SharpSan.Tgt.Tests;

/// <summary>tgt-admin's options as Perl's Getopt::Long reads them there (texts from Debian's tgt-admin).</summary>
public sealed class TgtAdminOptionsTests
{
    [Fact]
    public void Long_short_abbreviated_and_equals_forms()
    {
        var o = TgtAdminOptions.Parse(["--upd", "ALL", "-c", "/x.conf", "-C=3", "-f", "--verb", "-ignore-errors"]);
        Assert.Equal(("ALL", "/x.conf", "3", true, true, true), (o.Update, o.Conf, o.ControlPort, o.Force, o.Verbose, o.IgnoreErrors));
        Assert.Empty(o.Warnings);
        Assert.True(TgtAdminOptions.Parse(["-e"]).Execute);
        Assert.True(TgtAdminOptions.Parse(["--show"]).Show);
    }

    [Fact]
    public void Warnings_as_getopt_long_prints_them_and_parsing_goes_on()
    {
        Assert.Equal(["Unknown option: foo"], TgtAdminOptions.Parse(["--foo", "-e"]).Warnings);
        Assert.Equal(["Option d is ambiguous (delete, dump)"], TgtAdminOptions.Parse(["--d", "x"]).Warnings);
        Assert.Equal(["Option delete requires an argument"], TgtAdminOptions.Parse(["--delete"]).Warnings);
        Assert.True(TgtAdminOptions.Parse([]).NoArguments);
    }

    [Fact]
    public async Task No_arguments_or_help_print_the_usage_and_no_action_is_said()
    {
        var stdout = new StringWriter();
        Assert.Equal(0, await TgtAdminMain.RunAsync([], _ => throw new InvalidOperationException(), stdout, TextWriter.Null, null));
        Assert.StartsWith("Usage:\ntgt-admin [OPTION]...\nThis tool configures tgt targets.\n", stdout.ToString());
        stdout = new StringWriter();
        Assert.Equal(0, await TgtAdminMain.RunAsync(["--update", "help"], _ => throw new InvalidOperationException(), stdout, TextWriter.Null, null));
        Assert.StartsWith("      --update <value>\t\tupdate all or selected targets\n", stdout.ToString());
    }
}
