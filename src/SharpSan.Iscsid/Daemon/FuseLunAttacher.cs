using System.Collections.Concurrent;
using SharpSan.Initiator;
using SharpSan.Initiator.Fuse;

namespace SharpSan.Iscsid.Daemon;

/// <summary>
/// Makes each LUN a local block device: the LUN served as a file through FUSE, bound to a loop device
/// with the LUN's block size and direct I/O (SharpSan.Initiator.BlockDevice), with a stable name
/// <c>RUNTIME/by-path/ip-ADDRESS:PORT-iscsi-IQN-lun-N</c> like udev's /dev/disk/by-path.
/// </summary>
public sealed class FuseLunAttacher : ILunAttacher
{
    private readonly string _runtimeDir;
    private readonly Action<string> _log;
    private readonly ConcurrentDictionary<string, AttachedLun> _attached = new(StringComparer.Ordinal);

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
        var attached = await AttachedLun.AttachAsync(new ScsiBlockStore(device), _runtimeDir, byPath, directIo: true,
            onError: ex => _log($"{byPath}: {ex.Message}"), cancellationToken);
        _attached[attached.DevicePath] = attached;
        _log($"{byPath}: attached as {attached.DevicePath}");
        return attached.DevicePath;
    }

    public string? InUse(string devicePath)
    {
        if (!_attached.TryGetValue(devicePath, out var attached)) return null;
        var mounts = attached.MountPoints;
        return mounts.Count == 0 ? null : $"{devicePath} is mounted on {string.Join(", ", mounts)}: unmount it before logging out";
    }

    public async Task DetachAsync(string devicePath, CancellationToken cancellationToken)
    {
        if (!_attached.TryRemove(devicePath, out var attached)) return;
        // Logout already refused a mounted device; what is left here is shutdown, which must not hang.
        await attached.DetachAsync(force: true, cancellationToken);
    }
}
