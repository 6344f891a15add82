using System.Diagnostics;
using System.Runtime.InteropServices;
using SharpSan.Iscsid.Client;
using SharpSan.IscsiAdm.Backends;
using SharpSan.NodeRecords;

namespace SharpSan.Iscsid.Tests;

/// <summary>The built executables: out/bin/iscsid in the foreground with SIGTERM, and out/bin/iscsiadm starting it on demand.</summary>
public sealed partial class BinaryTests
{
    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    private const int SigTerm = 15;

    [BinaryFact("iscsid")]
    public async Task Iscsid_runs_in_the_foreground_and_sigterm_logs_out_and_exits_0()
    {
        await using var target = await TestTarget.StartAsync();
        var root = IscsidHarness.NewRoot();
        var socket = Path.Combine(root, "iscsid.sock");
        var start = new ProcessStartInfo(OutBin.Path("iscsid")!, "-f") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["SHARPSAN_ISCSI_ROOT"] = root;
        using var daemon = Process.Start(start)!;
        var stderr = daemon.StandardError.ReadToEndAsync();
        var stdout = daemon.StandardOutput.ReadToEndAsync();
        try
        {
            var client = new IscsidClient(socket);
            Assert.True(await DaemonLauncher.WaitForSocketAsync(client, TimeSpan.FromSeconds(30)), "iscsid did not open its socket");
            var backend = new IscsidSessionBackend(new IscsidClientOptions { SocketPath = socket, RequestTimeout = TimeSpan.FromSeconds(60) });
            Assert.Equal(IscsiError.Success, await backend.LoginAsync(NodeRecord.Create(TestTarget.Name, "127.0.0.1", target.Port, 1), CancellationToken.None));
            var s = Assert.Single(await backend.ListSessionsAsync(CancellationToken.None));
            Assert.Equal(TestTarget.Initiator, s.IfaceInitiatorName); // from $SHARPSAN_ISCSI_ROOT/initiatorname.iscsi

            Assert.Equal(0, kill(daemon.Id, SigTerm));
            await daemon.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, daemon.ExitCode);
            var log = await stderr;
            Assert.Contains("session 1: logged out of " + TestTarget.Name, log);
            Assert.False(File.Exists(socket));
        }
        finally
        {
            if (!daemon.HasExited)
                daemon.Kill();
            await Task.WhenAll(stderr, stdout).WaitAsync(TimeSpan.FromSeconds(30));
            Directory.Delete(root, recursive: true);
        }
    }

    [BinaryFact("iscsid")]
    public async Task Iscsid_logs_in_automatic_records_when_it_starts()
    {
        await using var target = await TestTarget.StartAsync();
        var root = IscsidHarness.NewRoot();
        var socket = Path.Combine(root, "iscsid.sock");
        var record = NodeRecord.Create(TestTarget.Name, "127.0.0.1", target.Port, 1);
        record.Startup = "automatic";
        new NodeDatabase(root).WriteNode(record);
        var start = new ProcessStartInfo(OutBin.Path("iscsid")!, "-f") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["SHARPSAN_ISCSI_ROOT"] = root;
        start.Environment["SHARPSAN_ISCSID_NO_DEVICES"] = "1";
        using var daemon = Process.Start(start)!;
        var stderr = daemon.StandardError.ReadToEndAsync();
        var stdout = daemon.StandardOutput.ReadToEndAsync();
        try
        {
            var client = new IscsidClient(socket);
            Assert.True(await DaemonLauncher.WaitForSocketAsync(client, TimeSpan.FromSeconds(30)), "iscsid did not open its socket");
            var backend = new IscsidSessionBackend(new IscsidClientOptions { SocketPath = socket, RequestTimeout = TimeSpan.FromSeconds(60) });
            IReadOnlyList<SessionInfo> sessions = [];
            for (int i = 0; i < 300 && sessions.Count == 0; i++)
            {
                sessions = await backend.ListSessionsAsync(CancellationToken.None);
                if (sessions.Count == 0) await Task.Delay(100);
            }
            Assert.Equal(TestTarget.Name, Assert.Single(sessions).TargetName);
            Assert.Equal(0, kill(daemon.Id, SigTerm));
            await daemon.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, daemon.ExitCode);
        }
        finally
        {
            if (!daemon.HasExited)
                daemon.Kill();
            await Task.WhenAll(stderr, stdout).WaitAsync(TimeSpan.FromSeconds(30));
            Directory.Delete(root, recursive: true);
        }
    }

    [BinaryFact("iscsid", "iscsiadm")]
    public async Task Iscsiadm_starts_iscsid_on_demand()
    {
        var root = IscsidHarness.NewRoot();
        var socket = Path.Combine(root, "iscsid.sock");
        var backend = new IscsidSessionBackend(new IscsidClientOptions { SocketPath = socket });
        try
        {
            var start = new ProcessStartInfo(OutBin.Path("iscsiadm")!) { RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add("-m");
            start.ArgumentList.Add("session");
            start.Environment["SHARPSAN_ISCSI_ROOT"] = root;
            using var adm = Process.Start(start)!;
            var stdout = adm.StandardOutput.ReadToEndAsync();
            var stderr = adm.StandardError.ReadToEndAsync();
            // The detached daemon must not hold iscsiadm's pipes: both end when iscsiadm exits.
            await Task.WhenAll(adm.WaitForExitAsync(), stdout, stderr).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(adm.ExitCode == 21, await stderr);
            Assert.Equal("iscsiadm: No active sessions.\n", await stderr);
            Assert.True(File.Exists(socket));
            Assert.Empty(await backend.ListSessionsAsync(CancellationToken.None));
        }
        finally
        {
            if (File.Exists(socket))
                await backend.ShutdownAsync(CancellationToken.None);
            var deadline = Stopwatch.StartNew();
            while (File.Exists(socket) && deadline.Elapsed < TimeSpan.FromSeconds(30))
                await Task.Delay(100);
            Assert.False(File.Exists(socket), "the started iscsid did not stop");
            Directory.Delete(root, recursive: true);
        }
    }
}
