using SharpSan.Config;
using SharpSan.Control;

namespace SharpSan.Control.Tests;

/// <summary>
/// An in-memory <see cref="IControlBackend"/>: one tree (LIO JSON text) and its generation, the
/// generation rule of the real daemon, and a refusal the test can arm for the next put or save.
/// </summary>
internal sealed class FakeControlBackend : IControlBackend
{
    public const string ConfigPath = "/etc/target/saveconfig.json";

    private readonly object _lock = new();

    public FakeControlBackend(SanConfig initial) => Json = SaveConfigWriter.Serialize(initial);

    public string Json { get; private set; }
    public long Generation { get; private set; } = 1;

    /// <summary>The generation the last put said it was based on.</summary>
    public long? LastExpectedGeneration { get; private set; }

    /// <summary>The path the last save was asked for (null: the daemon's own file).</summary>
    public string? LastSavePath { get; private set; }

    /// <summary>Thrown by the next put or save, then cleared.</summary>
    public ControlException? NextRefusal { get; set; }

    public List<SessionInfo> Sessions { get; } = new();

    public (string Json, long Generation, string ConfigPath) GetConfig()
    {
        lock (_lock) return (Json, Generation, ConfigPath);
    }

    public Task<long> PutConfigAsync(string json, long expectedGeneration, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            LastExpectedGeneration = expectedGeneration;
            ThrowArmedRefusal();
            if (expectedGeneration != Generation)
                throw new ControlException(ControlErrorKind.Conflict,
                    $"the configuration changed meanwhile (generation {Generation}, not {expectedGeneration}); read it again and retry");
            Json = json;
            return Task.FromResult(++Generation);
        }
    }

    public Task<string> SaveConfigAsync(string? path, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            LastSavePath = path;
            ThrowArmedRefusal();
            return Task.FromResult(path ?? ConfigPath);
        }
    }

    public IReadOnlyList<SessionInfo> GetSessions() => Sessions;

    public List<LunStatisticsInfo> Statistics { get; } = new();

    public IReadOnlyList<LunStatisticsInfo> GetStatistics() => Statistics;

    public List<(ushort Tsih, ushort Cid)> Closed { get; } = new();

    public Task CloseConnectionAsync(ushort tsih, ushort cid, CancellationToken cancellationToken)
    {
        if (!Sessions.Any(s => s.Tsih == tsih && s.Connections.Any(c => c.Cid == cid)))
            throw new ControlException(ControlErrorKind.NotFound, $"no connection {cid} in session {tsih}");
        Closed.Add((tsih, cid));
        return Task.CompletedTask;
    }

    private void ThrowArmedRefusal()
    {
        if (NextRefusal is { } refusal)
        {
            NextRefusal = null;
            throw refusal;
        }
    }
}
