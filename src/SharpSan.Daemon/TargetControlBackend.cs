using System.Net.Sockets;
using SharpSan.Config;
using SharpSan.Control;
using SharpSan.Target.Diagnostics;

namespace SharpSan.Daemon;

/// <summary>
/// The daemon's side of the control API: owns the live configuration tree and its generation,
/// validates every submitted tree in one place (the LIO reader and <see cref="ConfigValidator"/>),
/// applies it live through <see cref="TargetHost.ApplyAsync"/>, and saves it atomically.
/// </summary>
public sealed class TargetControlBackend : IControlBackend
{
    private readonly TargetHost _host;
    private readonly string _configPath;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _generation = 1;

    public TargetControlBackend(TargetHost host, string configPath)
    {
        _host = host;
        _configPath = configPath;
    }

    public (string Json, long Generation, string ConfigPath) GetConfig()
    {
        _gate.Wait();
        try
        {
            return (SaveConfigWriter.Serialize(_host.LiveConfig()), _generation, _configPath);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<long> PutConfigAsync(string json, long expectedGeneration, CancellationToken cancellationToken)
    {
        SanConfig config;
        try
        {
            config = SaveConfigReader.Parse(json, "new configuration");
        }
        catch (ConfigException ex)
        {
            throw new ControlException(ControlErrorKind.Invalid, ex.Message, ex);
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (expectedGeneration != _generation)
                throw new ControlException(ControlErrorKind.Conflict,
                    $"the configuration changed meanwhile (generation {_generation}, not {expectedGeneration}); read it again and retry");
            try
            {
                await _host.ApplyAsync(config);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or InvalidOperationException or SocketException)
            {
                throw new ControlException(ControlErrorKind.Failed, ex.Message, ex);
            }
            _generation++;
            Log.Info($"configuration applied (generation {_generation})");
            return _generation;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<string> SaveConfigAsync(string? path, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(path ?? _configPath);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            SaveConfigWriter.Save(_host.LiveConfig(), target);
            Log.Info($"configuration saved to {target}");
            return target;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ConfigException)
        {
            throw new ControlException(ControlErrorKind.Failed, $"cannot save to {target}: {ex.Message}", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    public IReadOnlyList<SessionInfo> GetSessions() =>
        _host.Server.DescribeSessions().Select(s => new SessionInfo(
            s.TargetName,
            s.TpgTag,
            s.InitiatorName,
            s.InitiatorAlias,
            s.Tsih,
            $"0x{s.Isid:x12}",
            s.IsDiscovery ? "Discovery" : "Normal",
            "LOGGED_IN",
            s.DynamicAcl,
            s.Luns.Select(l => new SessionLunInfo(l.Lun, $"{l.Unit.Backstore.Plugin}/{l.Unit.Backstore.Name}", l.WriteProtected)).ToList(),
            s.Connections.Select(c => new ConnectionInfo(c.Cid, c.Remote.Address.ToString(), "LOGGED_IN")).ToList())).ToList();

    public IReadOnlyList<LunStatisticsInfo> GetStatistics() =>
        _host.Server.DescribeSessions().Where(s => !s.IsDiscovery).SelectMany(s => s.Statistics.Select(l => new LunStatisticsInfo(
            s.TargetName, s.Tsih, l.Lun,
            l.ReadSubmittedBytes, l.ReadSubmittedCommands, l.ReadDoneBytes, l.ReadDoneCommands,
            l.WriteSubmittedBytes, l.WriteSubmittedCommands, l.WriteDoneBytes, l.WriteDoneCommands, l.Errors))).ToList();

    public async Task CloseConnectionAsync(ushort tsih, ushort cid, CancellationToken cancellationToken)
    {
        if (!await _host.Server.CloseConnectionAsync(tsih, cid).WaitAsync(cancellationToken))
            throw new ControlException(ControlErrorKind.NotFound, $"no connection {cid} in session {tsih}");
    }
}
