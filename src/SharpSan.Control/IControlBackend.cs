namespace SharpSan.Control;

/// <summary>
/// The daemon side of the control API: what <see cref="ControlHttpServer"/> calls. Implemented by the
/// target (it owns the live tree); methods throw <see cref="ControlException"/> for refusals.
/// </summary>
public interface IControlBackend
{
    /// <summary>The live tree as LIO saveconfig.json text, its generation and the daemon's config file.</summary>
    (string Json, long Generation, string ConfigPath) GetConfig();

    /// <summary>Validates and applies a whole new tree (LIO JSON); returns the new generation.</summary>
    Task<long> PutConfigAsync(string json, long expectedGeneration, CancellationToken cancellationToken);

    /// <summary>Saves the live tree; returns the path written.</summary>
    Task<string> SaveConfigAsync(string? path, CancellationToken cancellationToken);

    IReadOnlyList<SessionInfo> GetSessions();

    IReadOnlyList<LunStatisticsInfo> GetStatistics();

    /// <summary>Closes a connection; throws <see cref="ControlException"/> (NotFound) when there is none.</summary>
    Task CloseConnectionAsync(ushort tsih, ushort cid, CancellationToken cancellationToken);
}
