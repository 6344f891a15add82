using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace SharpSan.Testing;

/// <summary>
/// The project's one Linux-kernel VM (scripts/vm, docs/vm-kit.md): Debian's kernel and a small Debian
/// userland under QEMU (TCG), running one guest script and powering off. Tests use it where the host
/// kernel lacks what they need (iscsi_tcp, sd, dm-multipath). The guest sees the run folder at
/// /mnt/run (read-write: its script, lib.sh, output.log, exit-code) and out/bin at /mnt/host, and the
/// host's 127.0.0.1 at 10.0.2.2. The VM is started by PID (scripts/vm/run.sh, which owns QEMU) and
/// killed with its process tree on timeout or dispose.
/// </summary>
public sealed class LinuxVm : IDisposable
{
    /// <summary>What a run gave: the guest script's exit code and output, the serial console, and the
    /// time from QEMU's start to the script's result.</summary>
    public sealed record Result(int ExitCode, string Output, string Console, TimeSpan Elapsed)
    {
        public override string ToString() => $"guest exit {ExitCode} after {Elapsed.TotalSeconds:F0} s\n--- output\n{Output}\n--- console\n{Console}";
    }

    private static readonly Lazy<(string? Image, string? Reason)> Built = new(BuildImage);
    private readonly Process _process;
    private readonly TempDirectory _runDir;
    private readonly Stopwatch _clock;

    private LinuxVm(Process process, TempDirectory runDir, Stopwatch clock)
    {
        _process = process;
        _runDir = runDir;
        _clock = clock;
    }

    /// <summary>The run folder (the guest's /mnt/run).</summary>
    public string RunDir => _runDir.Path;

    /// <summary>The PID of scripts/vm/run.sh, QEMU's parent.</summary>
    public int Pid => _process.Id;

    /// <summary>The reason the VM cannot run on this machine, checked cheaply at discovery (the image is
    /// built by <see cref="Start"/>): null when it may.</summary>
    public static string? Unavailable()
        => Requirement.NotDisabledBy("SHARPSAN_SKIP_VM")
            ?? Requirement.Linux("the VM kit needs Linux")
            ?? Requirement.Root("the VM kit builds its Debian image with debootstrap, which needs root")
            ?? Requirement.Tools("qemu-system-x86_64", "debootstrap")
            ?? (File.Exists(Script("run.sh")) ? null : "scripts/vm/run.sh not found");

    /// <summary>Builds (once per test process; cached on disk) the image and boots a VM running
    /// <paramref name="guestScript"/> (bash). Skips the calling test, with the reason, when the image
    /// cannot be had (no Debian mirror, a missing tool); fails it when building goes wrong otherwise.</summary>
    public static LinuxVm Start(string guestScript, int memoryMb = 1024, TimeSpan? timeout = null)
    {
        Requirement.SkipUnlessMet(Unavailable());
        var (image, reason) = Built.Value;
        Requirement.SkipUnlessMet(reason);
        if (image is null) throw new InvalidOperationException("the VM image was not built");
        var runDir = new TempDirectory(prefix: "sharpsan-vm-");
        File.WriteAllText(Path.Combine(runDir.Path, "input.sh"), guestScript);
        var psi = new ProcessStartInfo(Script("run.sh")) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--run-dir", runDir.Path, "--memory", memoryMb.ToString(),
                     "--timeout", ((int)(timeout ?? TimeSpan.FromMinutes(5)).TotalSeconds).ToString(), Path.Combine(runDir.Path, "input.sh") })
            psi.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start scripts/vm/run.sh");
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return new LinuxVm(p, runDir, clock);
    }

    /// <summary>Waits until the guest creates <paramref name="name"/> in the run folder (its
    /// vmkit_signal NAME); throws when the VM ends or <paramref name="timeout"/> passes first.</summary>
    public void WaitForGuest(string name, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var path = Path.Combine(RunDir, name);
        while (!File.Exists(path))
        {
            if (_process.HasExited) throw new InvalidOperationException($"the VM ended before signalling {name}:\n{Snapshot()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the guest did not signal {name} in {timeout}:\n{Snapshot()}");
            Thread.Sleep(200);
        }
    }

    /// <summary>Answers the guest (its vmkit_wait NAME): writes <paramref name="name"/> in the run folder.</summary>
    public void Signal(string name, string content = "") => File.WriteAllText(Path.Combine(RunDir, name), content);

    /// <summary>Waits for the guest script's result; kills the VM and throws (with the console) after
    /// <paramref name="timeout"/>.</summary>
    public Result WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException($"the VM did not finish in {timeout}:\n{Snapshot()}");
        }
        _process.WaitForExit();
        var code = Path.Combine(RunDir, "exit-code");
        if (!File.Exists(code)) throw new InvalidOperationException($"the guest script did not finish (run.sh exit {_process.ExitCode}):\n{Snapshot()}");
        return new Result(int.Parse(File.ReadAllText(code).Trim()), Read("output.log"), Read("console.log"), _clock.Elapsed);
    }

    private string Read(string name) => File.Exists(Path.Combine(RunDir, name)) ? File.ReadAllText(Path.Combine(RunDir, name)) : "";

    private string Snapshot() => $"--- output\n{Read("output.log")}\n--- console\n{Read("console.log")}";

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
        _runDir.Dispose();
    }

    private static string Script(string name) => Path.Combine(Repo.Root, "scripts", "vm", name);

    // Exit 2 from build-image.sh is "a prerequisite is missing" (no mirror, no tool): a skip with its
    // message. Anything else is a failure of the kit, reported as such.
    private static (string?, string?) BuildImage()
    {
        var r = Tool.Run(Script("build-image.sh"), Array.Empty<string>(), TimeSpan.FromMinutes(20));
        if (r.ExitCode == 2) return (null, "the VM image cannot be built here: " + r.Stderr.Trim().Split('\n')[^1]);
        if (r.ExitCode != 0) throw new InvalidOperationException($"scripts/vm/build-image.sh failed: {r}");
        return (r.Stdout.Trim().Split('\n')[^1], null);
    }
}

/// <summary>A fact that runs only where the VM kit can run (<see cref="LinuxVm.Unavailable"/>); the
/// image itself is checked when the test starts the VM (a skip with the reason if it cannot be had).</summary>
public sealed class VmFactAttribute : FactAttribute
{
    public VmFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        Skip = LinuxVm.Unavailable();
    }
}
