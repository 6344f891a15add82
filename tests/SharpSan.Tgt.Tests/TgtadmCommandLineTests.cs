using SharpSan.Tgt.Getopt;
using SharpSan.Tgt.Tgtadm;

namespace SharpSan.Tgt.Tests;

/// <summary>tgtadm's command line as usr/tgtadm.c and glibc's getopt_long read it (texts and exit
/// codes recorded from Debian's tgtadm 1.0.85).</summary>
public sealed class TgtadmCommandLineTests
{
    [Theory]
    [InlineData("--op show --mode target", "Target", "Show", -1)]
    [InlineData("--op=show --mode=target --tid=1", "Target", "Show", 1)]
    [InlineData("-o show -m tgt -t1", "Target", "Show", 1)]
    [InlineData("--ll iscsi --op show --mode target --tid 0x10", "Target", "Show", 16)]
    [InlineData("--lld iscsi --mode lu --op delete --tid 010 --lun 3", "Device", "Delete", 8)]
    [InlineData("-L iscsi -m account -o bind -u joe", "Account", "Bind", -1)]
    [InlineData("--mode sess --op stat --tid 2 --sid 1", "Session", "Stats", 2)]
    [InlineData("-dm conn -o show -t 3", "Connection", "Show", 3)]
    public void Parses_modes_ops_and_numbers_as_tgtadm(string line, string mode, string op, int tid)
    {
        var r = TgtadmCommandLine.Parse(line.Split(' '), out var exit);
        Assert.Null(exit);
        Assert.Equal((mode, op, tid), (r!.Mode.ToString(), r.Op.ToString(), r.Tid));
    }

    [Theory]
    [InlineData("--op foo --mode target", 1, "tgtadm: unknown operation: foo\n")]
    [InlineData("--mode foo --op show", 1, "tgtadm: unknown mode: foo\n")]
    [InlineData("--op show", 22, "tgtadm: specify the mode\n")]
    [InlineData("--mode target", 22, "tgtadm: specify the operation type\n")]
    [InlineData("--op show --mode target extra", 22, "tgtadm: unrecognized option 'extra'\nTry `tgtadm --help' for more information.\n")]
    [InlineData("--op show --mode target --t 1", 22, "tgtadm: option '--t' is ambiguous; possibilities: '--tid' '--targetname'\nTry `tgtadm --help' for more information.\n")]
    [InlineData("--op show --mode target --p x", 22, "tgtadm: option '--p' is ambiguous; possibilities: '--password' '--params'\nTry `tgtadm --help' for more information.\n")]
    [InlineData("--op show --mode target --tid", 22, "tgtadm: option '--tid' requires an argument\nTry `tgtadm --help' for more information.\n")]
    [InlineData("--op show --mode target -t", 22, "tgtadm: option requires an argument -- 't'\nTry `tgtadm --help' for more information.\n")]
    [InlineData("--op show --mode target -x", 22, "tgtadm: invalid option -- 'x'\nTry `tgtadm --help' for more information.\n")]
    [InlineData("--op show --mode target --forc=1", 22, "tgtadm: option '--force' doesn't allow an argument\nTry `tgtadm --help' for more information.\n")]
    [InlineData("--op show --mode target --tid abc", 22, "-t argument value 'abc' invalid\nTry `tgtadm --help' for more information.\n")]
    [InlineData("--op show --mode target --tid -3", 22, "-t argument value '-3' out of range\nTry `tgtadm --help' for more information.\n")]
    [InlineData("--op show --mode target --tid 4294967296", 22, "-t argument value '4294967296' out of range\nTry `tgtadm --help' for more information.\n")]
    [InlineData("--op show --mode target --lun -1", 22, "-l argument value '-1' invalid\nTry `tgtadm --help' for more information.\n")]
    [InlineData("--op new --mode target --tid 0 -T a", 22, "tgtadm: 'tid' cannot be 0\n")]
    [InlineData("--op new --mode target -T a", 22, "tgtadm: 'tid' option is necessary\n")]
    [InlineData("--op new --mode target --tid 1", 22, "tgtadm: creating new target requires a name, use --targetname\n")]
    [InlineData("--op show --mode target -T a", 22, "tgtadm: target mode: option '-T' is not allowed/supported\n")]
    [InlineData("--op bind --mode target --tid 1", 22, "tgtadm: bind operation requires initiator-address, initiator-nameor bus\n")]
    [InlineData("--op new --mode lu --tid 1", 22, "tgtadm: 'lun' option is necessary\n")]
    [InlineData("--op new --mode lu --tid 0 --lun 1", 22, "tgtadm: 'tid' must not be 0\n")]
    [InlineData("--op update --mode lu --tid 1 --lun 1 -n a -v b", 22, "tgtadm: option '-n' not supported in logicalunit mode\n")]
    [InlineData("--op new --mode lu --tid 1 --lun 1 --device-type foo", 22, "tgtadm: unknown target type: foo\n")]
    [InlineData("--op new --mode account --user u", 22, "tgtadm: 'user' and 'password' options are required\n")]
    [InlineData("--op bind --mode account --tid 1", 22, "tgtadm: 'user' option is necessary\n")]
    [InlineData("--op new --mode portal", 22, "tgtadm: you must specify --param portal=<portal>\n")]
    [InlineData("--param portal=1.2.3.4 --mode portal --op new", 22, "tgtadm: you must specify --param portal=<portal>\n")]
    [InlineData("--op show --mode portal -T x", 22, "tgtadm: option '-T' not supported in portal mode\n")]
    [InlineData("--op new --mode sys", 22, "tgtadm: operation new not supported in system mode\n")]
    [InlineData("--op update --mode sys -n State", 22, "tgtadm: update operation requires 'name' and 'value' options\n")]
    [InlineData("--op foo --mode lld", 1, "tgtadm: unknown operation: foo\n")]
    [InlineData("--op bind --mode lld", 22, "tgtadm: option 3 not supported in lld mode\n")]
    [InlineData("-F", 22, "tgtadm: option requires an argument -- 'F'\nTry `tgtadm --help' for more information.\n")]
    [InlineData("--op show --mode target -C 70000", 22, "-C argument value '70000' out of range\nTry `tgtadm --help' for more information.\n")]
    public void Refuses_as_tgtadm_does(string line, int code, string stderr)
    {
        Assert.Null(TgtadmCommandLine.Parse(line.Split(' '), out var exit));
        Assert.Equal((code, "", stderr), (exit!.ExitCode, exit.Stdout, exit.Stderr));
    }

    [Fact]
    public void Help_and_version_exit_0_on_stdout()
    {
        TgtadmCommandLine.Parse(["--help"], out var help);
        Assert.StartsWith("Linux SCSI Target administration utility, version ", help!.Stdout);
        Assert.Contains("\tadd a new target with <id> and <name>. <id> must not be zero.\n", help.Stdout);
        TgtadmCommandLine.Parse(["-V"], out var version);
        Assert.Equal((0, TgtadmUsage.Version + "\n"), (version!.ExitCode, version.Stdout));
    }

    [Fact]
    public void Params_belong_to_the_portal_only_after_mode_portal()
    {
        var portal = TgtadmCommandLine.Parse("--mode portal --op new --param portal=1.2.3.4:3261".Split(' '), out _);
        Assert.Equal("portal=1.2.3.4:3261", portal!.PortalOps);
        var lu = TgtadmCommandLine.Parse("--mode lu --op update --tid 1 --lun 1 --params readonly=1".Split(' '), out _);
        Assert.Equal("readonly=1", lu!.TargetOps);
    }

    [Fact]
    public void Getopt_permutes_operands_and_stops_at_double_dash()
    {
        var g = new GetoptLong(["a", "-t", "1", "--", "-x"], "t:", [new LongOption("tid", true, 't')]);
        var items = new List<GetoptItem>();
        while (g.Next(out var item)) items.Add(item);
        Assert.Equal([new GetoptItem('t', "1", null)], items);
        Assert.Equal(["a", "-x"], g.Operands);
    }

    [Theory]
    [InlineData("12", 12UL)]
    [InlineData("0x1f", 31UL)]
    [InlineData("017", 15UL)]
    [InlineData("  +7abc", 7UL)]
    [InlineData("0x", 0UL)]
    public void Numbers_are_read_as_strtoull_base_0(string text, ulong value)
    {
        Assert.True(TgtNumber.StrToULL(text, out var v));
        Assert.Equal(value, v);
    }
}
