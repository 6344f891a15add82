namespace SharpSan.Initiator.Fuse;

/// <summary>
/// A LUN made a local block device: the store served as <c>runtimeDir/fuse/NAME/lun</c> by a
/// <see cref="FuseFileServer"/>, that file bound to a loop device with the LUN's block size and direct
/// I/O, and a stable symlink <c>runtimeDir/by-path/NAME</c> -> /dev/loopN.
/// </summary>
public sealed class AttachedLun : IAsyncDisposable
{
    private const string FuseDir = "fuse", ByPathDir = "by-path";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<string> _aliases = [];
    private bool _detached;

    private AttachedLun(IBlockStore store, string name, string runtimeDir, FuseFileServer server, LoopDevice loop, string symlink)
    {
        Store = store;
        Name = name;
        RuntimeDirectory = runtimeDir;
        Server = server;
        Loop = loop;
        SymlinkPath = symlink;
    }

    public IBlockStore Store { get; }

    /// <summary>The by-path name, e.g. <c>ip-127.0.0.1:3260-iscsi-iqn.2025-01.org.example:t1-lun-0</c>.</summary>
    public string Name { get; }

    public string RuntimeDirectory { get; }

    /// <summary>The FUSE server (its <see cref="FuseFileServer.Completion"/> ends if the mount is lost).</summary>
    public FuseFileServer Server { get; }

    public LoopDevice Loop { get; }

    /// <summary>/dev/loopN.</summary>
    public string DevicePath => Loop.Path;

    /// <summary><c>runtimeDir/by-path/NAME</c>, a symlink to <see cref="DevicePath"/>.</summary>
    public string SymlinkPath { get; }

    /// <summary>The FUSE file the loop device is bound to.</summary>
    public string FilePath => Server.FilePath;

    public bool IsDetached => _detached;

    /// <summary>Mount points of the loop device in this mount namespace (empty when not mounted).</summary>
    public IReadOnlyList<string> MountPoints => MountTable.MountPointsOfDisk(Path.GetFileName(Loop.Path), Loop.MajorMinor);

    /// <summary>
    /// Serves <paramref name="store"/> through FUSE under <paramref name="runtimeDir"/>, binds a loop
    /// device to it and points <c>runtimeDir/by-path/<paramref name="name"/></c> at the device. A stale
    /// FUSE mount or symlink of the same name (from a crashed process) is replaced.
    /// </summary>
    public static async Task<AttachedLun> AttachAsync(IBlockStore store, string runtimeDir, string name, bool directIo = true,
        Action<Exception>? onError = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(runtimeDir);
        ValidateName(name);
        if (store.BlockSize is not (512 or 1024 or 2048 or 4096))
            throw new NotSupportedException($"the LUN's block size {store.BlockSize} cannot be a loop device's (512, 1024, 2048 or 4096 bytes)");
        runtimeDir = Path.GetFullPath(runtimeDir);
        string mountPoint = Path.Combine(runtimeDir, FuseDir, name);
        string byPath = Path.Combine(runtimeDir, ByPathDir);
        string symlink = Path.Combine(byPath, name);
        Directory.CreateDirectory(byPath);
        if (MountTable.IsMountPoint(mountPoint)) Native.Umount2(mountPoint, Native.MNT_DETACH); // stale, from a dead process
        Directory.CreateDirectory(mountPoint);
        cancellationToken.ThrowIfCancellationRequested();

        FuseFileServer? server = null;
        LoopDevice? loop = null;
        var watched = new PartitionWatchStore(store);
        try
        {
            server = FuseFileServer.Mount(watched, mountPoint, "lun", onError);
            var s = server;
            // Binding opens the FUSE file and may read it: blocking syscalls answered by the server's threads.
            loop = await Task.Run(() => LoopDevice.Attach(s.FilePath, store.BlockSize, directIo), cancellationToken).ConfigureAwait(false);
            string temp = Path.Combine(byPath, $".{name}.{Environment.ProcessId}.tmp");
            File.Delete(temp);
            File.CreateSymbolicLink(temp, loop.Path);
            File.Move(temp, symlink, overwrite: true); // rename(2): the link is replaced atomically
            watched.DevicePath = loop.Path;
            var device = loop.Path;
            await Task.Run(() => PartitionWatchStore.Refresh(device), cancellationToken).ConfigureAwait(false); // partitions already on the disk
            return new AttachedLun(store, name, runtimeDir, server, loop, symlink);
        }
        catch
        {
            loop?.Detach();
            if (server is not null) await server.DisposeAsync().ConfigureAwait(false);
            TryDeleteDirectory(mountPoint);
            throw;
        }
    }

    /// <summary>Another by-path name for the same device (a second path to the logical unit, as udev
    /// makes a by-path link per SCSI path): <c>runtimeDir/by-path/NAME</c> -> the loop device.</summary>
    public void AddAlias(string name)
    {
        ValidateName(name);
        string link = Path.Combine(RuntimeDirectory, ByPathDir, name);
        string temp = Path.Combine(RuntimeDirectory, ByPathDir, $".{name}.{Environment.ProcessId}.tmp");
        File.Delete(temp);
        File.CreateSymbolicLink(temp, Loop.Path);
        File.Move(temp, link, overwrite: true);
        lock (_aliases) _aliases.Add(link);
    }

    /// <summary>Removes a link <see cref="AddAlias"/> made (the path it named is gone).</summary>
    public void RemoveAlias(string name)
    {
        string link = Path.Combine(RuntimeDirectory, ByPathDir, name);
        lock (_aliases) _aliases.Remove(link);
        RemoveLink(link);
    }

    /// <summary>
    /// Detaches: refuses (<see cref="InvalidOperationException"/>) while the loop device is mounted or
    /// held by another device (device-mapper, md) unless <paramref name="force"/>; otherwise closes and
    /// unbinds the loop device (the kernel writes its cached blocks back first), flushes the store
    /// (SYNCHRONIZE CACHE), removes the symlink, and unmounts FUSE. Forced, a still-mounted file system
    /// keeps the device until it is unmounted, and its I/O fails from now on.
    /// </summary>
    public async Task DetachAsync(bool force = false, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_detached) return;
            if (!force)
            {
                var mounts = MountPoints;
                if (mounts.Count > 0)
                    throw new InvalidOperationException($"{Name}: {DevicePath} is mounted at {string.Join(", ", mounts)}; unmount it first, or detach with force");
                var holders = Holders();
                if (holders.Count > 0)
                    throw new InvalidOperationException($"{Name}: {DevicePath} is in use by {string.Join(", ", holders)}; remove those first, or detach with force");
            }
            _detached = true;
            Exception? failure = null;
            try { Loop.Detach(); }
            catch (Exception ex) { failure = ex; }
            try { await Store.FlushAsync(cancellationToken).ConfigureAwait(false); }
            catch (Exception ex) when (force) { failure ??= ex; }
            finally
            {
                RemoveSymlink();
                await Server.DisposeAsync().ConfigureAwait(false);
                TryDeleteDirectory(Server.MountPoint);
            }
            if (failure is not null && !force) throw failure;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Forced detach (see <see cref="DetachAsync"/>).</summary>
    public async ValueTask DisposeAsync() => await DetachAsync(force: true).ConfigureAwait(false);

    /// <summary>
    /// For start-up, before any attach in <paramref name="runtimeDir"/>: lazily unmounts FUSE mounts left
    /// under <c>runtimeDir/fuse</c> by a process that died, and removes by-path symlinks whose loop
    /// device is no longer bound. Returns what it did, one line per action.
    /// </summary>
    public static IReadOnlyList<string> CleanupStale(string runtimeDir)
    {
        var done = new List<string>();
        runtimeDir = Path.GetFullPath(runtimeDir);
        string fuseRoot = Path.Combine(runtimeDir, FuseDir) + "/";
        foreach (var m in MountTable.Read())
        {
            if (!m.MountPoint.StartsWith(fuseRoot, StringComparison.Ordinal) || !m.FsType.StartsWith("fuse", StringComparison.Ordinal)) continue;
            if (Native.Umount2(m.MountPoint, Native.MNT_DETACH) == 0) done.Add($"unmounted stale FUSE mount {m.MountPoint}");
            else done.Add($"could not unmount {m.MountPoint}: {Native.Describe(Native.Errno)}");
            TryDeleteDirectory(m.MountPoint);
        }
        string byPath = Path.Combine(runtimeDir, ByPathDir);
        if (Directory.Exists(byPath))
        {
            foreach (var link in Directory.EnumerateFileSystemEntries(byPath))
            {
                var info = new FileInfo(link);
                if (info.LinkTarget is not { } target) continue;
                string dev = Path.GetFileName(target);
                if (dev.StartsWith("loop", StringComparison.Ordinal) && Directory.Exists($"/sys/block/{dev}/loop")) continue; // still bound
                File.Delete(link);
                done.Add($"removed stale symlink {link} -> {target}");
            }
        }
        return done;
    }

    private IReadOnlyList<string> Holders()
    {
        string dir = $"/sys/block/loop{Loop.Number}/holders";
        return Directory.Exists(dir) ? Directory.EnumerateFileSystemEntries(dir).Select(p => Path.GetFileName(p) ?? p).ToList() : [];
    }

    private void RemoveSymlink()
    {
        RemoveLink(SymlinkPath);
        string[] aliases;
        lock (_aliases) aliases = [.. _aliases];
        foreach (var alias in aliases) RemoveLink(alias);
    }

    private void RemoveLink(string link)
    {
        try
        {
            // Only our link: a new attach of the same name may already have replaced it.
            if (new FileInfo(link).LinkTarget == Loop.Path) File.Delete(link);
        }
        catch (IOException) { }
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name is "." or ".." || name.Length > 200 || name.IndexOfAny(['/', '\0', '\n']) >= 0 || name.StartsWith('.'))
            throw new ArgumentException($"'{name}' cannot be a by-path name (no '/', no leading '.', at most 200 characters)", nameof(name));
    }

    private static void TryDeleteDirectory(string path)
    {
        try { if (Directory.Exists(path) && !MountTable.IsMountPoint(path)) Directory.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public override string ToString() => $"{Name}: {DevicePath} ({Loop})";
}
