namespace SharpSan.Initiator.Fuse.Tests;

/// <summary>
/// Our target in-process, a session logged in to it and its LUN 0 opened as a
/// <see cref="SharpSan.Initiator.BlockDevice"/>; the test attaches it as a local block device and mounts
/// it through this rig, and <see cref="DisposeAsync"/> undoes whatever was done, in reverse order (lazy
/// unmount, forced detach, logout, target stop), however far the test got.
/// </summary>
internal sealed class IscsiLunRig : IAsyncDisposable
{
    private string? _mountPoint;

    private IscsiLunRig(TargetHarness target) => Target = target;

    public TargetHarness Target { get; }
    public IscsiSession? Session { get; private set; }

    /// <summary>LUN 0 of the session.</summary>
    public SharpSan.Initiator.BlockDevice Device { get; private set; } = null!;

    /// <summary>The attached LUN, once <see cref="AttachAsync"/> has run.</summary>
    public AttachedLun? Lun { get; private set; }

    /// <summary>Logs in to the target <paramref name="starting"/> starts and opens LUN 0.</summary>
    public static async Task<IscsiLunRig> StartAsync(Task<TargetHarness> starting)
    {
        var rig = new IscsiLunRig(await starting);
        try
        {
            rig.Session = await rig.Target.LoginAsync();
            rig.Device = await SharpSan.Initiator.BlockDevice.OpenAsync(rig.Session, 0);
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    public async Task<AttachedLun> AttachAsync(IBlockStore store, string runtimeDir, string name)
        => Lun = await AttachedLun.AttachAsync(store, runtimeDir, name);

    /// <summary><c>mount OPTIONS /dev/loopN MOUNTPOINT</c>.</summary>
    public async Task MountAsync(string mountPoint, params string[] options)
    {
        await Tool.RunCheckedAsync("mount", [.. options, Lun!.DevicePath, mountPoint]);
        _mountPoint = mountPoint;
    }

    public async Task UnmountAsync()
    {
        await Tool.RunCheckedAsync("umount", _mountPoint!);
        _mountPoint = null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_mountPoint is not null) await Tool.RunCheckedAsync("umount", "-l", _mountPoint);
        }
        finally
        {
            try
            {
                if (Lun is not null) await Lun.DisposeAsync();
            }
            finally
            {
                try
                {
                    if (Session is not null) await Session.DisposeAsync();
                }
                finally
                {
                    await Target.DisposeAsync();
                }
            }
        }
    }
}
