using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using SharpSan.Platform;

namespace SharpSan.Initiator.Fuse;

/// <summary>
/// Serves an <see cref="IBlockStore"/> as one regular file (<see cref="FileName"/>) in a FUSE mount,
/// speaking the kernel protocol on /dev/fuse directly (no libfuse, no fusermount; needs root).
/// One background thread reads requests; reads, writes and fsyncs start on four dedicated worker threads
/// (at most <see cref="MaxInFlight"/>), with pooled buffers. Writes not aligned to the block size are
/// read-modify-write under per-block locks. The file is opened with FOPEN_DIRECT_IO, so the kernel
/// keeps no page cache for it: every read and write reaches the store (coherent with a loop device in
/// direct I/O mode and with any other opener). fsync on the file calls <see cref="IBlockStore.FlushAsync"/>.
/// </summary>
public sealed partial class FuseFileServer : IAsyncDisposable
{
    /// <summary>Largest WRITE (and READ) the kernel is asked to send: 1 MiB.</summary>
    public const int MaxWrite = 1 << 20;

    /// <summary>Requests handled at once (and request buffers held).</summary>
    public const int MaxInFlight = 32;

    private const int RequestBufferSize = MaxWrite + 8192; // >= in header + write_in + max_write
    private const int LockStripes = 64;
    private const int Workers = 4;
    private static readonly TimeSpan HandlerDrainTimeout = TimeSpan.FromSeconds(30);

    private readonly IBlockStore _store;
    private readonly SafeFileHandle _fuse;
    private readonly int _fd;
    private readonly int _stopRead, _stopWrite;
    private readonly SemaphoreSlim _slots = new(MaxInFlight, MaxInFlight);
    private readonly SemaphoreSlim[] _blockLocks;
    private readonly System.Collections.Concurrent.ConcurrentBag<byte[]> _buffers = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<Exception>? _onError;
    private readonly long _fileSize;
    private readonly Thread _thread;
    private readonly Thread[] _workers;
    private readonly System.Collections.Concurrent.BlockingCollection<(byte[] Buffer, int Length)> _work = new();
    private int _disposed;
    private bool _mounted;

    private FuseFileServer(IBlockStore store, string mountPoint, string fileName, int fd, int stopRead, int stopWrite, Action<Exception>? onError)
    {
        _store = store;
        MountPoint = mountPoint;
        FileName = fileName;
        _fd = fd;
        _fuse = new SafeFileHandle(fd, ownsHandle: true);
        _stopRead = stopRead;
        _stopWrite = stopWrite;
        _onError = onError;
        _fileSize = checked((long)store.BlockCount * store.BlockSize);
        _blockLocks = new SemaphoreSlim[LockStripes];
        for (int i = 0; i < LockStripes; i++) _blockLocks[i] = new SemaphoreSlim(1, 1);
        _thread = new Thread(ReadLoop) { IsBackground = true, Name = "sharpsan-fuse" };
        _workers = new Thread[Workers];
        for (int i = 0; i < Workers; i++) _workers[i] = new Thread(WorkLoop) { IsBackground = true, Name = $"sharpsan-fuse-io{i}" };
    }

    /// <summary>The directory the file system is mounted on.</summary>
    public string MountPoint { get; }

    /// <summary>Name of the one file in the mount's root.</summary>
    public string FileName { get; }

    /// <summary>Full path of the served file.</summary>
    public string FilePath => Path.Combine(MountPoint, FileName);

    /// <summary>The file's size in bytes (<c>BlockSize * BlockCount</c>).</summary>
    public long FileSize => _fileSize;

    public IBlockStore Store => _store;

    /// <summary>Completes when the request loop has ended (unmount, dispose or a fatal error); faulted on a fatal error.</summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Mounts a FUSE file system on <paramref name="mountPoint"/> (created if missing) whose root holds
    /// one file, <paramref name="fileName"/>, of the store's size, and starts serving it.
    /// <paramref name="onError"/> hears store failures (answered as EIO) and loop errors.
    /// </summary>
    public static FuseFileServer Mount(IBlockStore store, string mountPoint, string fileName = "lun", Action<Exception>? onError = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(mountPoint);
        if (string.IsNullOrEmpty(fileName) || fileName.Contains('/') || fileName is "." or "..")
            throw new ArgumentException($"'{fileName}' is not a valid file name", nameof(fileName));
        if (store.BlockSize is < 512 or > 65536 || (store.BlockSize & (store.BlockSize - 1)) != 0)
            throw new ArgumentException($"the store's block size {store.BlockSize} is not a power of two from 512 to 65536", nameof(store));
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("FUSE needs Linux");
        mountPoint = Path.GetFullPath(mountPoint);
        Directory.CreateDirectory(mountPoint);

        int fd = Native.Open("/dev/fuse", Native.O_RDWR | Native.O_CLOEXEC | Native.O_NONBLOCK);
        if (fd < 0) throw Native.Error("cannot open /dev/fuse (needs root and the fuse module)", Native.Errno);
        int stopRead = -1, stopWrite = -1;
        unsafe
        {
            int* p = stackalloc int[2];
            if (Native.Pipe2(p, Native.O_CLOEXEC | Native.O_NONBLOCK) != 0)
            {
                int e = Native.Errno;
                Native.Close(fd);
                throw Native.Error("pipe2", e);
            }
            stopRead = p[0];
            stopWrite = p[1];
        }
        var server = new FuseFileServer(store, mountPoint, fileName, fd, stopRead, stopWrite, onError);
        try
        {
            server.DoMount();
            foreach (var w in server._workers) w.Start();
            server._thread.Start();
        }
        catch
        {
            server.ReleaseHandles();
            throw;
        }
        return server;
    }

    private void DoMount()
    {
        // The kernel parses these in fs/fuse/inode.c (fuse_parse_param): fd and rootmode (octal) are
        // required, user_id/group_id name the mount's owner; allow_other lets every user (loop
        // workers, udev, mkfs) in; default_permissions makes the kernel check the mode bits itself.
        string options = $"fd={_fd},rootmode=40000,user_id=0,group_id=0,allow_other,default_permissions,max_read={MaxWrite}";
        const ulong flags = Native.MS_NOSUID | Native.MS_NODEV;
        if (Native.Mount("sharpsan", MountPoint, "fuse.sharpsan", flags, options) != 0)
        {
            int e = Native.Errno;
            // Kernels without FUSE subtypes only know "fuse".
            if (e != Native.ENODEV || Native.Mount("sharpsan", MountPoint, "fuse", flags, options) != 0)
                throw Native.Error($"mount of FUSE on {MountPoint} failed", e == Native.ENODEV ? Native.Errno : e);
        }
        _mounted = true;
    }

    /// <summary>Unmounts (lazily: MNT_DETACH), stops the request loop, waits for it and for requests in
    /// flight (their store calls are cancelled), and closes /dev/fuse, which aborts anything left.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _completion.Task.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            return;
        }
        Unmount();
        _stop.Cancel();
        SignalStop();
        if (_thread.IsAlive || _thread.ThreadState == ThreadState.Unstarted)
            await _completion.Task.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        _work.CompleteAdding();
        // Wait until every handler has given its slot back; the fd stays valid for late replies anyway
        // (SafeHandle reference counting), so a store that ignores cancellation cannot misdirect a write.
        var deadline = DateTime.UtcNow + HandlerDrainTimeout;
        for (int i = 0; i < MaxInFlight; i++)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _slots.WaitAsync(left).ConfigureAwait(false)) break;
        }
        ReleaseHandles();
    }

    private unsafe void SignalStop()
    {
        byte b = 1;
        Native.Write(_stopWrite, &b, 1);
    }

    private void Unmount()
    {
        if (!_mounted) return;
        _mounted = false;
        if (Native.Umount2(MountPoint, Native.MNT_DETACH) != 0)
        {
            int e = Native.Errno;
            if (e is not (Native.EINVAL or Native.ENOENT)) _onError?.Invoke(Native.Error($"umount of {MountPoint}", e));
        }
    }

    private void ReleaseHandles()
    {
        Unmount();
        if (!_work.IsAddingCompleted) _work.CompleteAdding();
        _fuse.Dispose();
        if (_stopRead >= 0) Native.Close(_stopRead);
        if (_stopWrite >= 0) Native.Close(_stopWrite);
        _completion.TrySetResult();
    }

    private byte[] RentRequestBuffer() => _buffers.TryTake(out var b) ? b : new byte[RequestBufferSize];

    private void ReturnRequestBuffer(byte[] buffer) => _buffers.Add(buffer);

    private unsafe void ReadLoop()
    {
        bool added = false;
        try
        {
            _fuse.DangerousAddRef(ref added);
            var fds = stackalloc Native.PollFd[2];
            while (!_stop.IsCancellationRequested)
            {
                fds[0] = new Native.PollFd { Fd = _fd, Events = Native.POLLIN };
                fds[1] = new Native.PollFd { Fd = _stopRead, Events = Native.POLLIN };
                int r = Native.Poll(fds, 2, -1);
                if (r < 0)
                {
                    int e = Native.Errno;
                    if (e == Native.EINTR) continue;
                    throw Native.Error("poll on /dev/fuse", e);
                }
                if (fds[1].Revents != 0) break;
                if ((fds[0].Revents & (Native.POLLERR | Native.POLLHUP | Native.POLLNVAL)) != 0) break; // connection gone
                if ((fds[0].Revents & Native.POLLIN) == 0) continue;

                try { _slots.Wait(_stop.Token); }
                catch (OperationCanceledException) { break; }
                var buffer = RentRequestBuffer();
                nint n;
                fixed (byte* p = buffer) n = Native.Read(_fd, p, (nuint)buffer.Length);
                if (n < 0)
                {
                    int e = Native.Errno;
                    ReturnRequestBuffer(buffer);
                    _slots.Release();
                    // EAGAIN: someone else took it; ENOENT: the request was aborted before we read it.
                    if (e is Native.EAGAIN or Native.EINTR or Native.ENOENT) continue;
                    if (e == Native.ENODEV) break; // unmounted and aborted
                    throw Native.Error("read from /dev/fuse", e);
                }
                Dispatch(buffer, (int)n);
            }
            _completion.TrySetResult();
        }
        catch (Exception ex)
        {
            _onError?.Invoke(ex);
            _completion.TrySetException(ex);
        }
        finally
        {
            if (added) _fuse.DangerousRelease();
        }
    }

    /// <summary>
    /// Starts READ/WRITE/FSYNC handlers on dedicated threads rather than the thread pool, so a process
    /// that blocks pool threads in synchronous I/O on the file (or on the loop device over it) cannot
    /// starve the server that would complete that I/O. Store continuations may still use the pool.
    /// </summary>
    private void WorkLoop()
    {
        foreach (var (buffer, length) in _work.GetConsumingEnumerable())
            _ = HandleIoAsync(buffer, length);
    }

    /// <summary>Writes one reply (header + payload) with a single writev, as the protocol requires.</summary>
    private unsafe void Reply(ulong unique, int errno, ReadOnlySpan<byte> payload)
    {
        byte* header = stackalloc byte[FuseProtocol.OutHeaderSize];
        var h = new Span<byte>(header, FuseProtocol.OutHeaderSize);
        int length = FuseProtocol.OutHeaderSize + (errno == 0 ? payload.Length : 0);
        BinaryPrimitives.WriteUInt32LittleEndian(h, (uint)length);
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], -errno);
        BinaryPrimitives.WriteUInt64LittleEndian(h[8..], unique);
        bool added = false;
        try
        {
            _fuse.DangerousAddRef(ref added);
            fixed (byte* data = payload)
            {
                var iov = stackalloc IoVec[2];
                iov[0] = new IoVec { Base = header, Length = FuseProtocol.OutHeaderSize };
                iov[1] = new IoVec { Base = data, Length = (nuint)(length - FuseProtocol.OutHeaderSize) };
                if (Native.WriteV(_fd, iov, length > FuseProtocol.OutHeaderSize ? 2 : 1) < 0)
                {
                    int e = Native.Errno;
                    // ENOENT: the request was interrupted or aborted; ENODEV: the connection is gone.
                    if (e is not (Native.ENOENT or Native.ENODEV)) _onError?.Invoke(Native.Error("reply on /dev/fuse", e));
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // Closed during shutdown: nobody is waiting for this reply any more.
        }
        finally
        {
            if (added) _fuse.DangerousRelease();
        }
    }

    private void ReplyError(ulong unique, int errno) => Reply(unique, errno, default);
}
