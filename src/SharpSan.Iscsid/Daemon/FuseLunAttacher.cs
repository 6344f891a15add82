using SharpSan.Initiator;
using SharpSan.Initiator.Fuse;

namespace SharpSan.Iscsid.Daemon;

/// <summary>
/// Makes each logical unit a local block device: served as a file through FUSE, bound to a loop device
/// with the LUN's block size and direct I/O (SharpSan.Initiator.BlockDevice), with a stable name
/// <c>RUNTIME/by-path/ip-ADDRESS:PORT-iscsi-IQN-lun-N</c> like udev's /dev/disk/by-path.
/// Sessions that reach the same logical unit (the same name in VPD page 83h, e.g. through two portals
/// of two target port groups) share one device, as dm-multipath makes one map of paths with one WWID:
/// its commands take the best ALUA path (<see cref="MultipathDevice"/>), each path has its by-path
/// link, and the device stays until its last path logs out.
/// </summary>
public sealed class FuseLunAttacher : ILunAttacher
{
    private readonly string _runtimeDir;
    private readonly Action<string> _log;
    private readonly object _lock = new();
    private readonly SemaphoreSlim _attachGate = new(1, 1);
    private readonly Dictionary<string, Attachment> _byDevice = new(StringComparer.Ordinal);

    /// <summary>One local device and the paths (session, by-path name, BlockDevice) behind it.</summary>
    private sealed class Attachment(AttachedLun lun, MultipathDevice? multipath)
    {
        public AttachedLun Lun { get; } = lun;
        public MultipathDevice? Multipath { get; } = multipath;
        public Dictionary<IscsiSession, (BlockDevice Device, string Name)> Paths { get; } = [];
    }

    public FuseLunAttacher(string runtimeDir, Action<string> log)
    {
        _runtimeDir = runtimeDir;
        _log = log;
        Directory.CreateDirectory(runtimeDir);
        // Mounts and links a crashed daemon left behind.
        foreach (var stale in AttachedLun.CleanupStale(runtimeDir)) log($"cleaned up stale {stale}");
    }

    public string RuntimeDir => _runtimeDir;

    public async Task<string> AttachAsync(IscsiSession session, ulong lun, string name, CancellationToken cancellationToken)
    {
        var device = await BlockDevice.OpenAsync(session, lun, cancellationToken);
        var portal = session.ConnectedPortal;
        var byPath = $"ip-{portal}-iscsi-{session.TargetName}-lun-{lun}";
        // One attach at a time: a second path must find the first one's device.
        await _attachGate.WaitAsync(cancellationToken);
        try
        {
            if (device.Identification.LogicalUnitName is { } luName && Find(luName) is { Multipath: { } multipath } existing)
            {
                multipath.AddPath(device);
                lock (_lock) existing.Paths[session] = (device, byPath);
                existing.Lun.AddAlias(byPath);
                _log($"{byPath}: another path to {luName}, attached as {existing.Lun.DevicePath} ({multipath.Paths.Count} paths)");
                return existing.Lun.DevicePath;
            }

            MultipathDevice? mp = device.Identification.LogicalUnitName is null ? null : new MultipathDevice(device);
            IBlockStore store = mp is null ? new ScsiBlockStore(device) : new MultipathBlockStore(mp);
            var attached = await AttachedLun.AttachAsync(store, _runtimeDir, byPath, directIo: true,
                onError: ex => _log($"{byPath}: {ex.Message}"), cancellationToken);
            var attachment = new Attachment(attached, mp);
            attachment.Paths[session] = (device, byPath);
            lock (_lock) _byDevice[attached.DevicePath] = attachment;
            _log($"{byPath}: attached as {attached.DevicePath}");
            return attached.DevicePath;
        }
        finally
        {
            _attachGate.Release();
        }
    }

    private Attachment? Find(string luName)
    {
        lock (_lock) return _byDevice.Values.FirstOrDefault(a => a.Multipath?.Name == luName);
    }

    /// <summary>Every multipath device and its paths (for <c>iscsiadm -m session -P 3</c>-style reports and tests).</summary>
    public IReadOnlyDictionary<string, MultipathDevice> MultipathDevices
    {
        get
        {
            lock (_lock) return _byDevice.Where(kv => kv.Value.Multipath is not null).ToDictionary(kv => kv.Key, kv => kv.Value.Multipath!);
        }
    }

    public string? InUse(string devicePath) => InUse(devicePath, null);

    public string? InUse(string devicePath, IscsiSession? session)
    {
        Attachment? a;
        lock (_lock)
        {
            if (!_byDevice.TryGetValue(devicePath, out a)) return null;
            if (session is not null && a.Paths.ContainsKey(session) && a.Paths.Count > 1) return null; // other paths keep the device
        }
        var mounts = a.Lun.MountPoints;
        return mounts.Count == 0 ? null : $"{devicePath} is mounted on {string.Join(", ", mounts)}: unmount it before logging out";
    }

    public Task DetachAsync(string devicePath, CancellationToken cancellationToken) => DetachAsync(devicePath, null, cancellationToken);

    public async Task DetachAsync(string devicePath, IscsiSession? session, CancellationToken cancellationToken)
    {
        Attachment? a;
        lock (_lock)
        {
            if (!_byDevice.TryGetValue(devicePath, out a)) return;
            if (session is not null && a.Paths.Remove(session, out var path) && a.Paths.Count > 0)
            {
                // Another path serves the device: only this one goes (its commands move to the others).
                a.Multipath?.RemovePath(path.Device);
                a.Lun.RemoveAlias(path.Name);
                _log($"{path.Name}: path removed from {devicePath} ({a.Paths.Count} left)");
                return;
            }
            _byDevice.Remove(devicePath);
        }
        // Logout already refused a mounted device; what is left here is shutdown, which must not hang.
        await a.Lun.DetachAsync(force: true, cancellationToken);
    }
}
