using System.Diagnostics;
using System.Text;

namespace SharpSan.Testing;

/// <summary>Runs external programs (libiscsi tools, qemu-img, mkfs, mount...) with a time limit and
/// captures their output; finds them on PATH.</summary>
public static class Tool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
        public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }

    private static IEnumerable<string> SearchPath
        => (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The full path of <paramref name="name"/> on PATH, or null.</summary>
    public static string? Find(string name) => SearchPath.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public static bool Exists(string name) => Find(name) is not null;

    /// <summary>Fails the calling test (it does not skip) when a required client is missing: ./test.sh
    /// (scripts/install-test-deps.sh) installs them.</summary>
    public static void Require(params string[] names)
    {
        foreach (var n in names)
            if (!Exists(n))
                throw new InvalidOperationException($"{n} is not installed; run ./test.sh (scripts/install-test-deps.sh installs it)");
    }

    /// <summary>Runs <paramref name="exe"/> with no input; kills it (and its children) and throws
    /// <see cref="TimeoutException"/> after <paramref name="timeout"/> (5 minutes unless given).</summary>
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

    /// <summary>Runs <paramref name="file"/> and returns stdout + stderr; throws with that output when it
    /// exits non-zero.</summary>
    public static async Task<string> RunCheckedAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        string output = await stdout + await stderr;
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {p.ExitCode}: {output}");
        return output;
    }
}
