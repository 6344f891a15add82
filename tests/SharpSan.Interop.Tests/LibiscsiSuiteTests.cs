namespace SharpSan.Interop.Tests;

/// <summary>How a libiscsi run's console is judged: "not implemented" notices count unless deferred.</summary>
public sealed class LibiscsiSuiteTests
{
    private const string Console = """
            [SKIPPED] PERSISTENT RESERVE IN is not implemented.
            [SKIPPED] REPORT_SUPPORTED_OPCODES is not implemented.
            [SKIPPED] WRITESAME16 is not implemented.
            [SKIPPED] WRITESAME16 is not implemented.
            [SKIPPED] PROUT Not Supported
            [SKIPPED] Logical unit is fully provisioned. Skipping test
            [SKIPPED] Logical unit is not removable. Skipping test.
            [FAILED] something else
        """;

    [Fact]
    public void Every_not_implemented_notice_counts_once_when_nothing_is_deferred()
    {
        Assert.Equal(
            ["PERSISTENT RESERVE IN is not implemented.", "REPORT_SUPPORTED_OPCODES is not implemented.", "WRITESAME16 is not implemented.", "PROUT Not Supported"],
            LibiscsiSuite.NotImplemented(Console, []));
    }

    [Fact]
    public void Notices_naming_a_deferred_suite_command_are_excused()
    {
        Assert.Equal(["REPORT_SUPPORTED_OPCODES is not implemented."], LibiscsiSuite.NotImplemented(Console, ["Prin", "Prout", "WriteSame"]));
    }
}
