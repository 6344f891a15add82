using System.Diagnostics;

namespace SharpSan.Iscsid.Client;

/// <summary>
/// Starts iscsid detached from the caller (setsid, or nohup where setsid is missing): a new session,
/// stdin/stdout/stderr on /dev/null, so it outlives iscsiadm and holds none of its pipes.
/// </summary>
public static class DaemonLauncher
{
    private const string Script =
        "if command -v setsid >/dev/null 2>&1; then setsid \"$0\" \"$@\" </dev/null >/dev/null 2>&1 & " +
        "else nohup \"$0\" \"$@\" </dev/null >/dev/null 2>&1 & fi";

    /// <summary>Runs <paramref name="executable"/> with <paramref name="arguments"/> in the background and returns at once.</summary>
    public static void StartDetached(string executable, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        start.ArgumentList.Add(executable);
        foreach (var a in arguments)
            start.ArgumentList.Add(a);
        using var shell = Process.Start(start) ?? throw new IOException($"could not start {executable}");
        if (!shell.WaitForExit(TimeSpan.FromSeconds(10)))
        {
            shell.Kill();
            throw new IOException($"starting {executable} did not return");
        }
        if (shell.ExitCode != 0)
            throw new IOException($"starting {executable} failed (shell exit {shell.ExitCode})");
    }

    /// <summary>Waits until the daemon's socket accepts connections; false after <paramref name="timeout"/>.</summary>
    public static async Task<bool> WaitForSocketAsync(IscsidClient client, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (File.Exists(client.SocketPath) && await client.IsListeningAsync(cancellationToken))
                return true;
            await Task.Delay(100, cancellationToken);
        }
        return false;
    }
}
