using SharpSan.Scsi;

namespace SharpSan.Initiator;

/// <summary>
/// One logical unit reached through several I_T nexuses (paths), as dm-multipath makes one map of the
/// SCSI devices that share a WWID. Paths are grouped by the logical unit's name from VPD page 83h;
/// commands go to the best path by asymmetric access state (SPC-4 5.15, ALUA), round robin among equals.
/// A path whose command fails with an ALUA NOT READY sense (04/0A transitioning, 04/0B standby, 04/0C
/// unavailable, 04/12 offline), or that sees ASYMMETRIC ACCESS STATE CHANGED (2A/06), makes the device
/// read REPORT TARGET PORT GROUPS again; a path whose session fails is set aside and the command is
/// sent again on another path, as dm-multipath requeues I/O after a path failure.
/// </summary>
public sealed class MultipathDevice
{
    /// <summary>How long commands wait for a group in transition (SPC-4 5.15.2.5) before failing.</summary>
    public static readonly TimeSpan TransitionTimeout = TimeSpan.FromSeconds(60);

    private readonly object _lock = new();
    private MultipathPath[] _paths = [];
    private int _next;
    private volatile bool _stale = true;

    public MultipathDevice(BlockDevice first)
    {
        ArgumentNullException.ThrowIfNull(first);
        Name = first.Identification.LogicalUnitName ?? throw new ArgumentException("the logical unit has no name in VPD page 83h; its paths cannot be grouped");
        BlockSize = first.BlockSize;
        BlockCount = first.BlockCount;
        AddPath(first);
    }

    /// <summary>The logical unit name the paths share (e.g. "naa.6001405...").</summary>
    public string Name { get; }
    public int BlockSize { get; }
    public ulong BlockCount { get; }
    public bool SupportsUnmap => Paths.Any(p => p.Device.SupportsUnmap);

    /// <summary>Unmapped blocks read as zeros (LBPRZ), as every path reports it for the same unit.</summary>
    public bool UnmappedReadsZero => Paths.Count > 0 && Paths.All(p => p.Device.UnmappedReadsZero);

    public IReadOnlyList<MultipathPath> Paths => Volatile.Read(ref _paths);

    /// <summary>Adds a path to the same logical unit (same name and geometry).</summary>
    public MultipathPath AddPath(BlockDevice device)
    {
        if (device.Identification.LogicalUnitName != Name)
            throw new ArgumentException($"the path leads to {device.Identification.LogicalUnitName ?? "an unnamed logical unit"}, not {Name}");
        if (device.BlockSize != BlockSize || device.BlockCount != BlockCount)
            throw new ArgumentException($"the path reports {device.BlockCount} blocks of {device.BlockSize} bytes, the device has {BlockCount} of {BlockSize}");
        var path = new MultipathPath(device);
        device.UnitAttentionObserved = OnUnitAttention;
        lock (_lock) _paths = [.. _paths, path];
        _stale = true;
        return path;
    }

    /// <summary>Removes the path through <paramref name="device"/>; returns the number of paths left.</summary>
    public int RemovePath(BlockDevice device)
    {
        lock (_lock)
        {
            _paths = _paths.Where(p => !ReferenceEquals(p.Device, device)).ToArray();
            device.UnitAttentionObserved = null;
            return _paths.Length;
        }
    }

    private void OnUnitAttention(SenseData sense)
    {
        // SPC-4 5.15.2.6: 2A/06 ASYMMETRIC ACCESS STATE CHANGED; 2A/07 IMPLICIT ASYMMETRIC ACCESS STATE
        // TRANSITION FAILED; 3F/0E REPORTED LUNS DATA HAS CHANGED may come with a port group change.
        if (sense.Asc == 0x2A && sense.Ascq is 0x06 or 0x07) _stale = true;
    }

    /// <summary>Reads REPORT TARGET PORT GROUPS through the first path that answers and sets every
    /// path's state from its group (VPD 83h target port group designator, or its relative port).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        _stale = false;
        var paths = Paths;
        foreach (var path in paths.OrderBy(p => p.Failed ? 1 : 0))
        {
            if (path.Device.Tpgs == 0)
            {
                // No ALUA: every path is active/optimized; a report through it is only a liveness check.
                path.Failed = false;
                continue;
            }

            IReadOnlyList<TargetPortGroupDescriptor> groups;
            try
            {
                groups = await path.Device.ReportTargetPortGroupsAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IscsiSessionException or ScsiCommandException or ScsiTaskAbortedException or IOException)
            {
                path.Failed = true;
                continue;
            }

            path.Failed = false;
            foreach (var p in paths)
            {
                var group = FindGroup(groups, p.Device.Identification);
                if (group is null) continue;
                p.State = group.State;
                p.Preferred = group.Preferred;
            }
            return;
        }
    }

    private static TargetPortGroupDescriptor? FindGroup(IReadOnlyList<TargetPortGroupDescriptor> groups, DeviceIdentification id)
    {
        foreach (var g in groups)
        {
            if (id.TargetPortGroup is { } tpg && g.Id == tpg) return g;
            if (id.TargetPortGroup is null && id.RelativeTargetPort is { } rel && g.RelativeTargetPorts.Contains(rel)) return g;
        }
        return null;
    }

    /// <summary>The path the next command goes to: the best rank, round robin among equals; null when
    /// none can take READ/WRITE now.</summary>
    public MultipathPath? SelectPath()
    {
        var paths = Volatile.Read(ref _paths);
        int best = int.MaxValue;
        foreach (var p in paths) best = Math.Min(best, p.Rank);
        if (best == int.MaxValue) return null;
        int start = (int)((uint)Interlocked.Increment(ref _next) % (uint)paths.Length);
        for (int i = 0; i < paths.Length; i++)
        {
            var p = paths[(start + i) % paths.Length];
            if (p.Rank == best) return p;
        }
        return null;
    }

    public Task ReadAsync(ulong lba, Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        RunAsync(static (d, a, ct) => d.ReadAsync(a.Lba, a.Read, ct), new Args(lba, buffer, default, false, 0), cancellationToken);

    public Task WriteAsync(ulong lba, ReadOnlyMemory<byte> data, bool fua = false, CancellationToken cancellationToken = default) =>
        RunAsync(static (d, a, ct) => d.WriteAsync(a.Lba, a.Write, a.Fua, ct), new Args(lba, default, data, fua, 0), cancellationToken);

    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        RunAsync(static (d, _, ct) => d.FlushAsync(ct), default, cancellationToken);

    public Task UnmapAsync(ulong lba, uint blockCount, CancellationToken cancellationToken = default) =>
        RunAsync(static (d, a, ct) => d.UnmapAsync(a.Lba, a.Count, ct), new Args(lba, default, default, false, blockCount), cancellationToken);

    private readonly record struct Args(ulong Lba, Memory<byte> Read, ReadOnlyMemory<byte> Write, bool Fua, uint Count);

    private async Task RunAsync(Func<BlockDevice, Args, CancellationToken, Task> operation, Args args, CancellationToken cancellationToken)
    {
        DateTime deadline = DateTime.UtcNow + TransitionTimeout;
        var delay = TimeSpan.FromMilliseconds(50);
        Exception? last = null;
        while (true)
        {
            if (_stale) await RefreshAsync(cancellationToken).ConfigureAwait(false);
            var path = SelectPath();
            if (path is null)
            {
                // Every path failed, or every group is in transition/standby: ask again after a pause,
                // as long as a transition may still end (SPC-4 5.15.2.5).
                if (DateTime.UtcNow >= deadline)
                    throw new IOException($"{Name}: no path can carry the command ({string.Join("; ", Paths)})", last);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
                foreach (var p in Paths) p.Failed = false; // try each again: a session may have recovered
                _stale = true;
                continue;
            }

            try
            {
                Interlocked.Increment(ref path._commands);
                await operation(path.Device, args, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ScsiCommandException e) when (AluaState(e.Sense) is { } state)
            {
                last = e;
                path.State = state;
                _stale = true;
            }
            catch (Exception e) when (e is IscsiSessionException or ScsiTaskAbortedException && !cancellationToken.IsCancellationRequested)
            {
                last = e;
                path.Failed = true;
                _stale = true;
            }
        }
    }

    /// <summary>The state an ALUA NOT READY sense reports for the path it came through (SPC-4 5.15.2.4/5).</summary>
    private static AsymmetricAccessState? AluaState(SenseData? sense) => sense switch
    {
        { SenseKey: SenseKey.NotReady, Asc: 0x04, Ascq: 0x0A } => AsymmetricAccessState.Transitioning,
        { SenseKey: SenseKey.NotReady, Asc: 0x04, Ascq: 0x0B } => AsymmetricAccessState.Standby,
        { SenseKey: SenseKey.NotReady, Asc: 0x04, Ascq: 0x0C } => AsymmetricAccessState.Unavailable,
        { SenseKey: SenseKey.NotReady, Asc: 0x04, Ascq: 0x12 } => AsymmetricAccessState.Offline,
        _ => null,
    };
}
