using SharpSan.Config;
using SharpSan.Control;

namespace SharpSan.TargetCli.Tests;

/// <summary>The daemon's control API in memory: validates like sharpsand, bumps a generation per
/// change, refuses stale generations, saves with SaveConfigWriter to a temp folder.</summary>
internal sealed class InMemoryControlClient : IControlClient
{
    private string _json;

    public InMemoryControlClient(string configPath, SanConfig? initial = null)
    {
        ConfigPath = configPath;
        _json = SaveConfigWriter.Serialize(initial ?? new SanConfig());
    }

    public string ConfigPath { get; }
    public long Generation { get; private set; } = 1;
    public int Puts { get; private set; }
    public List<SessionInfo> Sessions { get; } = new();

    public SanConfig Current => SaveConfigReader.Parse(_json);

    public Task<ConfigSnapshot> GetConfigAsync(CancellationToken cancellationToken = default)
        => Task.FromResult(new ConfigSnapshot(SaveConfigReader.Parse(_json), Generation, ConfigPath));

    public Task<long> PutConfigAsync(SanConfig config, long expectedGeneration, CancellationToken cancellationToken = default)
    {
        if (expectedGeneration != Generation)
            throw new ControlException(ControlErrorKind.Conflict, $"the configuration changed (generation {Generation}, expected {expectedGeneration}); run the command again");
        try
        {
            ConfigValidator.Validate(config);
        }
        catch (ConfigException ex)
        {
            throw new ControlException(ControlErrorKind.Invalid, ex.Message, ex);
        }
        _json = SaveConfigWriter.Serialize(config);
        Puts++;
        return Task.FromResult(++Generation);
    }

    public Task<string> SaveConfigAsync(string? path = null, CancellationToken cancellationToken = default)
    {
        var target = path ?? ConfigPath;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        SaveConfigWriter.Save(SaveConfigReader.Parse(_json), target);
        return Task.FromResult(target);
    }

    public Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<SessionInfo>>(Sessions.ToList());

    public List<LunStatisticsInfo> Statistics { get; } = new();

    public Task<IReadOnlyList<LunStatisticsInfo>> GetStatisticsAsync(CancellationToken cancellationToken = default)
        => Task.FromResult<IReadOnlyList<LunStatisticsInfo>>(Statistics.ToList());

    public Task CloseConnectionAsync(ushort tsih, ushort cid, CancellationToken cancellationToken = default)
    {
        var session = Sessions.FirstOrDefault(s => s.Tsih == tsih && s.Connections.Any(c => c.Cid == cid))
            ?? throw new ControlException(ControlErrorKind.NotFound, $"no connection {cid} in session {tsih}");
        Sessions.Remove(session);
        return Task.CompletedTask;
    }

    /// <summary>Simulates another tool changing the tree.</summary>
    public void BumpGeneration() => Generation++;
}
