using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SharpSan.Interop.Tests;

/// <summary>What one run of libiscsi's iscsi-test-cu reported.</summary>
internal sealed record LibiscsiRun(int Passed, IReadOnlyList<string> Failures, IReadOnlyList<string> NotImplemented, string Output, TimeSpan Elapsed)
{
    public override string ToString() =>
        $"passed={Passed} failed={Failures.Count} not_implemented={NotImplemented.Count} in {Elapsed.TotalSeconds:F0} s";
}

/// <summary>
/// Runs libiscsi's conformance suite (iscsi-test-cu) and reads its CUnit results and its console: a
/// failure counts unless its suite is deferred, and so does a "[SKIPPED] ... not implemented" (or "not
/// supported") notice, unless it names a command of a deferred suite — a command the suite wanted to
/// test and the target refused as unknown is a gap, not a pass.
/// </summary>
internal static partial class LibiscsiSuite
{
    /// <summary>The commands each deferred suite's notices name ("COMPAREANDWRITE is not implemented",
    /// "PERSISTENT RESERVE IN is not implemented", "PROUT Not Supported"...).</summary>
    private static readonly Dictionary<string, string> NoticePatterns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CompareAndWrite"] = "COMPARE.?AND.?WRITE",
        ["ExtendedCopy"] = "EXTENDED.?COPY",
        ["ReceiveCopyResults"] = "RECEIVE.?COPY.?RESULT",
        ["Prin"] = "PERSISTENT RESERVE IN|PRIN",
        ["Prout"] = "PERSISTENT RESERVE OUT|PROUT",
        ["Unmap"] = "UNMAP",
        ["WriteSame"] = "WRITE.?SAME",
        ["GetLBAStatus"] = "GET.?LBA.?STATUS",
        ["Sanitize"] = "SANITIZE",
        ["WriteAtomic"] = "WRITE.?ATOMIC",
        ["OrWrite"] = "ORWRITE",
        ["ReadDefectData"] = "READ.?DEFECT.?DATA",
        ["ReportSupportedOpcodes"] = "REPORT.?SUPPORTED.?OPCODES",
    };

    public static LibiscsiRun Run(IReadOnlyCollection<string> deferred, TimeSpan timeout, params string[] arguments)
    {
        var dir = Directory.CreateTempSubdirectory("sharpsan-cu-").FullName;
        var psi = new ProcessStartInfo("iscsi-test-cu")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-d", "-s", "-x" }.Concat(arguments)) psi.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(timeout), $"iscsi-test-cu did not finish within {timeout.TotalMinutes} minutes");
        string output = stdout.Result + stderr.Result;
        var results = Path.Combine(dir, "CUnitAutomated-Results.xml");
        Assert.True(File.Exists(results), $"iscsi-test-cu wrote no results:\n{output}");

        var doc = XDocument.Load(results);
        int passed = 0;
        var failures = new List<string>();
        foreach (var suite in doc.Descendants("CUNIT_RUN_SUITE"))
        {
            var suiteName = suite.Descendants("SUITE_NAME").FirstOrDefault()?.Value.Trim() ?? "?";
            foreach (var record in suite.Descendants("CUNIT_RUN_TEST_RECORD"))
            {
                var failure = record.Element("CUNIT_RUN_TEST_FAILURE");
                if (failure is null)
                {
                    passed++;
                    continue;
                }

                var name = failure.Element("TEST_NAME")?.Value.Trim() ?? "?";
                if (deferred.Any(d => suiteName.StartsWith(d, StringComparison.OrdinalIgnoreCase))) continue;
                failures.Add($"{suiteName}.{name} ({failure.Element("FILE_NAME")?.Value.Trim()}:{failure.Element("LINE_NUMBER")?.Value.Trim()}) {failure.Element("CONDITION")?.Value.Trim()}");
            }
        }

        Directory.Delete(dir, recursive: true);
        return new LibiscsiRun(passed, failures.Distinct().ToList(), NotImplemented(output, deferred), output, clock.Elapsed);
    }

    /// <summary>The suite's "[SKIPPED] ... not implemented / not supported" notices that do not name a
    /// command of a deferred suite, each once.</summary>
    public static IReadOnlyList<string> NotImplemented(string output, IReadOnlyCollection<string> deferred)
    {
        var excused = deferred.Where(NoticePatterns.ContainsKey).Select(d => NoticePatterns[d]).ToArray();
        var excuse = excused.Length == 0 ? null : new Regex(string.Join("|", excused), RegexOptions.IgnoreCase);
        return Skipped().Matches(output)
            .Select(m => m.Groups[1].Value.Trim())
            .Where(n => NotImplementedNotice().IsMatch(n) && (excuse is null || !excuse.IsMatch(n)))
            .Distinct()
            .ToList();
    }

    /// <summary>Asserts a run has no failure and no unexcused "not implemented" notice, and logs its figures.</summary>
    public static void AssertClean(LibiscsiRun run, string what, int minimumPassed)
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"{what}: {run}");
        Assert.True(run.Passed >= minimumPassed, $"{what}: only {run.Passed} tests passed — did the suite run?\n{run.Output}");
        Assert.True(run.Failures.Count == 0, $"{what}: libiscsi conformance failures:\n" + string.Join("\n", run.Failures));
        Assert.True(run.NotImplemented.Count == 0, $"{what}: the suite skipped tests as not implemented:\n" + string.Join("\n", run.NotImplemented));
    }

    [GeneratedRegex(@"\[SKIPPED\]\s*(.*)")]
    private static partial Regex Skipped();

    [GeneratedRegex(@"not (yet )?implemented|not supported", RegexOptions.IgnoreCase)]
    private static partial Regex NotImplementedNotice();
}
