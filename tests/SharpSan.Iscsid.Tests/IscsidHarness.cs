using System.Text;
using SharpSan.Iscsid.Client;
using SharpSan.Iscsid.Daemon;
using SharpSan.IscsiAdm;
using SharpSan.IscsiAdm.Backends;
using SharpSan.NodeRecords;

namespace SharpSan.Iscsid.Tests;

/// <summary>
/// A temporary SHARPSAN_ISCSI_ROOT (initiatorname.iscsi, node database, iscsid.sock) with the iscsid
/// core running in-process, and iscsiadm driven through <see cref="IscsidSessionBackend"/>.
/// </summary>
internal sealed class IscsidHarness : IAsyncDisposable
{
    private IscsidHarness(string root, IscsidDaemon daemon, StringWriter log)
    {
        Root = root;
        Daemon = daemon;
        Log = log;
        Database = new NodeDatabase(root);
        Backend = new IscsidSessionBackend(new IscsidClientOptions { SocketPath = SocketPath, RequestTimeout = TimeSpan.FromSeconds(60) });
    }

    public string Root { get; }
    public string SocketPath => Path.Combine(Root, "iscsid.sock");
    public IscsidDaemon Daemon { get; }
    public StringWriter Log { get; }
    public NodeDatabase Database { get; }
    public IscsidSessionBackend Backend { get; }

    /// <summary>A short temp folder: Unix socket paths are limited to 107 bytes.</summary>
    public static string NewRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), "ssid-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "initiatorname.iscsi"), $"InitiatorName={TestTarget.Initiator}\n");
        return root;
    }

    public static async Task<IscsidHarness> StartAsync(ILunAttacher? attacher = null)
    {
        var root = NewRoot();
        var log = new StringWriter();
        var daemon = await IscsidDaemon.StartAsync(new IscsidOptions
        {
            SocketPath = Path.Combine(root, "iscsid.sock"),
            InitiatorNamePath = Path.Combine(root, "initiatorname.iscsi"),
            LunAttacher = attacher,
            Log = log,
        });
        return new IscsidHarness(root, daemon, log);
    }

    /// <summary>Runs iscsiadm with the in-process backends; returns exit code, stdout, stderr.</summary>
    public async Task<(int Code, string Out, string Err)> AdmAsync(params string[] args)
    {
        var stdout = new StringWriter(new StringBuilder()) { NewLine = "\n" };
        var stderr = new StringWriter(new StringBuilder()) { NewLine = "\n" };
        var command = new IscsiAdmCommand(Database, new InitiatorDiscoveryBackend(Database.InitiatorNamePath), Backend, stdout, stderr);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var code = await command.RunAsync(args, timeout.Token);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public async ValueTask DisposeAsync()
    {
        await Daemon.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
