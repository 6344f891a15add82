using SharpSan.Initiator;

namespace SharpSan.Iscsid.Daemon;

/// <summary>
/// Makes a local block device for one LUN of a logged-in session, and removes it again. iscsid calls
/// <see cref="AttachAsync"/> for every block LUN after login (REPORT LUNS) and
/// <see cref="DetachAsync"/> before logout. The FUSE/loop attacher (SharpSan.Initiator.BlockDevice's
/// AttachedLun) implements it; without one, sessions have no attached devices.
/// </summary>
public interface ILunAttacher
{
    /// <summary>Attaches <paramref name="lun"/> of <paramref name="session"/> under
    /// <paramref name="name"/> (e.g. "sharpsan-s1-l0") and returns the device path (e.g. "/dev/loop3").</summary>
    Task<string> AttachAsync(IscsiSession session, ulong lun, string name, CancellationToken cancellationToken);

    /// <summary>Why the device cannot be detached now (e.g. it is mounted), or null when it can.
    /// A logout is refused while any of its devices is in use, unless it is forced (shutdown).</summary>
    string? InUse(string devicePath) => null;

    /// <summary>Removes a device <see cref="AttachAsync"/> returned, flushing what it holds.</summary>
    Task DetachAsync(string devicePath, CancellationToken cancellationToken);

    /// <summary>Why <paramref name="session"/>'s path to the device cannot go now, or null when it can:
    /// a device other paths still serve can lose this one while mounted (as a dm-multipath map can).</summary>
    string? InUse(string devicePath, IscsiSession session) => InUse(devicePath);

    /// <summary>Removes <paramref name="session"/>'s path to the device; the device itself goes with its
    /// last path.</summary>
    Task DetachAsync(string devicePath, IscsiSession session, CancellationToken cancellationToken) => DetachAsync(devicePath, cancellationToken);
}
