using System.Diagnostics;
using System.Text;

namespace SharpSan.Interop.Tests;

/// <summary>Runs an external client (libiscsi tools, qemu-img) with a time limit and captures its output.</summary>
internal static class Tool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    public static bool Exists(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, name)));

    /// <summary>Skips the calling test with a reason when a required client is missing (./test.sh installs them).</summary>
    public static void Require(params string[] names)
    {
        foreach (var n in names)
            if (!Exists(n))
                throw new InvalidOperationException($"{n} is not installed; run ./test.sh (scripts/install-test-deps.sh installs it)");
    }

    public static Result Run(string exe, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromMinutes(5)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish in {timeout ?? TimeSpan.FromMinutes(5)}");
        }
        p.WaitForExit();
        return new Result(p.ExitCode, stdout.ToString(), stderr.ToString());
    }

    public static Result Run(string exe, params string[] args) => Run(exe, (IEnumerable<string>)args);
}
