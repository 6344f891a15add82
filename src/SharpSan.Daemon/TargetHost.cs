using System.Net;
using SharpSan.Config;
using SharpSan.Scsi.ExtendedCopy;
using SharpSan.Target;

namespace SharpSan.Daemon;

/// <summary>
/// The running target composed from a configuration tree: the opened logical units, the topology
/// built over them, and the iSCSI server serving it. Every change of configuration goes through
/// <see cref="ApplyAsync"/>, whoever asks for it (start-up, the control API, tests).
/// </summary>
public sealed class TargetHost : IAsyncDisposable
{
    private readonly SemaphoreSlim _applyLock = new(1, 1);

    /// <summary>Every unit served, for EXTENDED COPY between units and targets of this daemon.</summary>
    private readonly CopyTargetRegistry _copyTargets;
    private volatile SanConfig _config;
    private LogicalUnitSet _units;
    private int _disposed;

    private readonly string? _stateDirectory;

    private TargetHost(SanConfig config, LogicalUnitSet units, IscsiTargetServer server, CopyTargetRegistry copyTargets, string? stateDirectory)
    {
        _stateDirectory = stateDirectory;
        _config = config;
        _units = units;
        Server = server;
        _copyTargets = copyTargets;
    }

    /// <summary>The iSCSI target.</summary>
    public IscsiTargetServer Server { get; }

    /// <summary>The configuration being served.</summary>
    public SanConfig Config => _config;

    /// <summary>A copy of the served configuration with the live ALUA group states and statuses (what SET
    /// TARGET PORT GROUPS changed), as LIO's saveconfig reads them from the kernel.</summary>
    public SanConfig LiveConfig()
    {
        var config = SaveConfigReader.Parse(SaveConfigWriter.Serialize(_config), "live configuration");
        AluaDefinition.Overlay(config, _units.Units);
        return config;
    }

    /// <summary>The endpoints actually bound.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndpoints => Server.BoundEndpoints;

    /// <summary>Opens the backstores of <paramref name="config"/>, builds its targets and listens on
    /// every portal. Any failure leaves nothing open. The caller validated the tree (the LIO reader
    /// does; a tree built in code goes through <see cref="ConfigValidator"/>). Disks keep their APTPL
    /// persistent reservations under <paramref name="stateDirectory"/> (none offered when null).</summary>
    public static async Task<TargetHost> StartAsync(SanConfig config, TargetOptions options, string? stateDirectory = null)
    {
        var units = await LogicalUnitSet.OpenAsync(config, previous: null, stateDirectory);
        try
        {
            var copyTargets = new CopyTargetRegistry();
            copyTargets.Publish(units.Disks);
            var server = await IscsiTargetServer.StartAsync(TopologyBuilder.Build(config, units), options);
            return new TargetHost(config, units, server, copyTargets, stateDirectory);
        }
        catch
        {
            await units.CloseAllAsync();
            throw;
        }
    }

    /// <summary>
    /// Serves <paramref name="config"/> from now on, atomically: new backstores are opened and new
    /// portals bound first; if any of that fails, everything opened here is closed again and the
    /// running configuration is untouched. Units whose storage object did not change carry on (data,
    /// reservations, unit attentions), taking new device settings and a cd's new medium live; the live
    /// effects on sessions are the server's
    /// (<see cref="IscsiTargetServer.ApplyAsync"/>); backstores no longer used are then flushed and closed.
    /// </summary>
    public async Task ApplyAsync(SanConfig config)
    {
        await _applyLock.WaitAsync();
        try
        {
            var old = _units;
            var next = await LogicalUnitSet.OpenAsync(config, old, _stateDirectory);
            try
            {
                await Server.ApplyAsync(TopologyBuilder.Build(config, next));
            }
            catch
            {
                await next.CloseUnitsNotInAsync(old);
                throw;
            }
            _units = next;
            _config = config;
            _copyTargets.Publish(next.Disks);
            // Settings and cd media of the units kept across the change, now that it is in service.
            await next.CommitAsync();
            await old.CloseUnitsNotInAsync(next);
        }
        finally
        {
            _applyLock.Release();
        }
    }

    /// <summary>Stops the server (in-flight commands finish or are aborted), then flushes and closes
    /// every backstore.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await Server.DisposeAsync();
        await _applyLock.WaitAsync();
        try
        {
            await _units.CloseAllAsync();
        }
        finally
        {
            _applyLock.Release();
        }
    }
}
