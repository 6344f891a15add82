using System.Text.RegularExpressions;

namespace SharpSan.Interop.Tests;

/// <summary>
/// The issue #5 benchmark stays runnable: bench/run.sh --smoke (one round of 2 s per workload, 50
/// instead of 1000 sessions) drives sharpsand and tgt with every client and must write the full report
/// and charts. It checks that each figure was measured, not how fast: speed is bench/run.sh's business.
/// </summary>
public sealed class BenchmarkSmokeTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "sharpsan-bench-smoke-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out)) Directory.Delete(_out, recursive: true);
    }

    [Fact]
    public void The_benchmark_runs_end_to_end_and_reports_every_figure()
    {
        Tool.Require("tgtd", "tgtadm", "iscsi-perf", "qemu-img", "iperf3", "gnuplot");
        var run = Tool.Run(Path.Combine(Repo.Root, "bench", "run.sh"), ["--smoke", "--out", _out], TimeSpan.FromMinutes(10));
        Assert.True(run.ExitCode == 0, run.ToString());
        string report = File.ReadAllText(Path.Combine(_out, "benchmarks.md"));

        string[] workloads = ["randread4k-qd1", "randread4k-qd32", "write4k-qd32", "seqread128k-qd32", "write128k-qd16", "sessions16-qd8",
            "ours-randread4k-qd32", "ours-randwrite4k-qd32", "ours-seqread128k-qd32", "ours-seqwrite128k-qd16"];
        foreach (var wl in workloads)
        {
            // | wl | `client` | N unit | N unit | ratio | cpu | cpu | cpu ratio |
            var row = Regex.Match(report, $@"^\| {Regex.Escape(wl)} \| `[^`]+` \| (\d+) (IOPS|MB/s) \| (\d+) (IOPS|MB/s) \| ([0-9.]+) \|", RegexOptions.Multiline);
            Assert.True(row.Success, $"no row for {wl}:\n{report}");
            Assert.True(long.Parse(row.Groups[1].Value) > 0 && long.Parse(row.Groups[3].Value) > 0, $"{wl} was not measured on both targets:\n{report}");
        }

        // Ten goals, each judged.
        var goals = Regex.Matches(report, @"^\| .+ \| (\*\*met\*\*|missed) \|$", RegexOptions.Multiline);
        Assert.Equal(10, goals.Count);
        Assert.Matches(@"\| 50 sessions x QD4 complete without error \| [1-9]\d* IOPS, 0 errors", report);
        Assert.Matches(@"\| p99\.9 \| \d+ µs \| \d+ µs \|", report);
        Assert.Matches(@"Loopback TCP, one stream \(iperf3\): \*\*[1-9]\d* MB/s\*\*", report);
        Assert.Matches(@"\| VmRSS idle, 10 LUNs \| [1-9]\d* MiB \| \d+ MiB \|", report);

        foreach (var chart in new[] { "ratio", "iops", "mbs", "latency" })
        {
            byte[] png = File.ReadAllBytes(Path.Combine(_out, $"benchmarks-{chart}.png"));
            Assert.True(png.Length > 1000 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', $"benchmarks-{chart}.png is not a PNG");
        }
    }
}
