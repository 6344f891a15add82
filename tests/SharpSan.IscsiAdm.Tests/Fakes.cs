using SharpSan.Initiator;
using SharpSan.IscsiAdm;
using SharpSan.IscsiAdm.Backends;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Tests;

internal sealed class FakeDiscovery : IDiscoveryBackend
{
    public List<DiscoveredTarget> Targets { get; } = [];
    public IscsiError? Failure { get; set; }
    public List<(string Host, int Port, DiscoveryAuth? Auth)> Calls { get; } = [];

    public Task<IReadOnlyList<DiscoveredTarget>> SendTargetsAsync(string host, int port, DiscoveryAuth? auth, CancellationToken cancellationToken)
    {
        Calls.Add((host, port, auth));
        if (Failure is IscsiError e)
            throw new IscsiAdmException(e, "");
        return Task.FromResult<IReadOnlyList<DiscoveredTarget>>(Targets.ToList());
    }
}

internal sealed class FakeSessions : ISessionBackend
{
    public List<SessionInfo> Sessions { get; } = [];
    public IscsiError LoginResult { get; set; } = IscsiError.Success;
    public List<NodeRecord> Logins { get; } = [];
    public List<int> Logouts { get; } = [];
    public string? TransportClassVersion { get; set; } = "2.0-870";

    public Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SessionInfo>>(Sessions.ToList());

    public Task<IscsiError> LoginAsync(NodeRecord node, CancellationToken cancellationToken)
    {
        Logins.Add(node);
        return Task.FromResult(LoginResult);
    }

    public Task<IscsiError> LogoutAsync(int sid, CancellationToken cancellationToken)
    {
        Logouts.Add(sid);
        return Task.FromResult(IscsiError.Success);
    }
}

/// <summary>A temp SHARPSAN_ISCSI_ROOT with fake backends; Run returns (exit code, stdout, stderr).</summary>
internal sealed class Harness : IDisposable
{
    public Harness()
    {
        Root = Directory.CreateTempSubdirectory("iscsiadm-test-").FullName;
        Database = new NodeDatabase(Root);
    }

    public string Root { get; }
    public NodeDatabase Database { get; }
    public FakeDiscovery Discovery { get; } = new();
    public FakeSessions Sessions { get; } = new();
    public IDiscoveryBackend? DiscoveryOverride { get; set; }
    public ISessionBackend? SessionsOverride { get; set; }

    public (int Code, string Out, string Err) Run(string commandLine) =>
        Run(commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    public (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var cmd = new IscsiAdmCommand(Database, DiscoveryOverride ?? Discovery, SessionsOverride ?? Sessions, stdout, stderr);
        var code = cmd.RunAsync(args).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
