using SharpSan.Control;

namespace SharpSan.TargetCli;

/// <summary>
/// Where the targetcli executable gets its control API client from. The integrator sets
/// <see cref="Create"/> to <c>path =&gt; new ControlHttpClient(path)</c>; until then every command that
/// needs the daemon answers with a one-line "not available" error.
/// </summary>
public static class ControlClientFactory
{
    public const string DefaultSocketPath = "/run/sharpsan/control.sock";
    public const string SocketEnvironmentVariable = "SHARPSAN_CONTROL_SOCKET";

    public static Func<string, IControlClient> Create { get; set; } = _ => new UnavailableControlClient();

    private sealed class UnavailableControlClient : IControlClient
    {
        private static ControlException Error() => new(ControlErrorKind.Unavailable, "sharpsand control API client not available");
        public Task<ConfigSnapshot> GetConfigAsync(CancellationToken cancellationToken = default) => throw Error();
        public Task<long> PutConfigAsync(Config.SanConfig config, long expectedGeneration, CancellationToken cancellationToken = default) => throw Error();
        public Task<string> SaveConfigAsync(string? path = null, CancellationToken cancellationToken = default) => throw Error();
        public Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(CancellationToken cancellationToken = default) => throw Error();
        public Task<IReadOnlyList<LunStatisticsInfo>> GetStatisticsAsync(CancellationToken cancellationToken = default) => throw Error();
        public Task CloseConnectionAsync(ushort tsih, ushort cid, CancellationToken cancellationToken = default) => throw Error();
    }
}
