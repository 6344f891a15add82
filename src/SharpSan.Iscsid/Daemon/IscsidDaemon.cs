using System.Net.Sockets;
using System.Text.Json;
using SharpSan.Iscsid.Protocol;
using SharpSan.NodeRecords;

namespace SharpSan.Iscsid.Daemon;

/// <summary>
/// The SharpSAN iscsid core: holds SharpSan.Initiator sessions and answers JSON-line requests on a
/// root-only Unix socket (0600 in a 0700 folder). Every client connection and the accept loop are
/// owned here and stopped by <see cref="StopAsync"/>, which also logs out of every session; a
/// "shutdown" request does the same after answering. <see cref="Completion"/> ends when it is done.
/// </summary>
public sealed partial class IscsidDaemon : IAsyncDisposable
{
    private readonly IscsidOptions _options;
    private readonly Socket _listener;
    private readonly SessionTable _sessions;
    private readonly CancellationTokenSource _lifetime = new();
    private readonly object _lock = new();
    private readonly HashSet<Task> _clients = [];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TextWriter? _log;
    private Task _acceptLoop = Task.CompletedTask;
    private Task? _stop;

    private IscsidDaemon(IscsidOptions options, Socket listener)
    {
        _options = options;
        _listener = listener;
        _log = options.Log is null ? null : TextWriter.Synchronized(options.Log);
        _sessions = new SessionTable(options, Log);
    }

    public string SocketPath => _options.SocketPath;

    /// <summary>Completes after the daemon stopped (shutdown request, <see cref="StopAsync"/>) and every session is logged out.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The number of sessions held.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>
    /// Logs in every node record marked <c>node.startup = automatic</c> (what open-iscsi does when its
    /// service starts). A record that fails is logged and skipped; returns how many logged in.
    /// </summary>
    public async Task<int> LoginAutomaticAsync(NodeDatabase database, CancellationToken ct)
    {
        int ok = 0;
        foreach (var record in database.ReadAllNodes())
        {
            if (!string.Equals(record.Startup, "automatic", StringComparison.OrdinalIgnoreCase)) continue;
            var outcome = await _sessions.LoginAsync(record, ct);
            if (outcome.Error == IscsiError.Success) ok++;
            else Log($"automatic login to {record["node.name"]} failed: {outcome.Message}");
        }
        return ok;
    }

    /// <summary>
    /// Binds the socket and starts answering. Throws <see cref="IOException"/> when another daemon
    /// answers on the socket already; a stale socket file is replaced.
    /// </summary>
    public static async Task<IscsidDaemon> StartAsync(IscsidOptions options, CancellationToken cancellationToken = default)
    {
        var listener = await DaemonSocket.BindAsync(options.SocketPath, cancellationToken);
        var daemon = new IscsidDaemon(options, listener);
        daemon._acceptLoop = daemon.AcceptLoopAsync();
        daemon.Log($"listening on {options.SocketPath}");
        return daemon;
    }

    /// <summary>Stops accepting, ends client connections, logs out of every session, removes the socket. Idempotent.</summary>
    public Task StopAsync()
    {
        lock (_lock)
            return _stop ??= StopCoreAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task StopCoreAsync()
    {
        try
        {
            await _lifetime.CancelAsync();
            _listener.Dispose();
            await _acceptLoop;
            Task[] clients;
            lock (_lock) clients = [.. _clients];
            await Task.WhenAll(clients).WaitAsync(_options.ShutdownTimeout).ContinueWith(_ => { }, TaskScheduler.Default);
            using var bound = new CancellationTokenSource(_options.ShutdownTimeout);
            await _sessions.LogoutAllAsync(bound.Token);
            DaemonSocket.Remove(_options.SocketPath);
            Log("stopped");
            _completion.TrySetResult();
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
            throw;
        }
    }

    private async Task AcceptLoopAsync()
    {
        await Task.Yield();
        while (!_lifetime.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_lifetime.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException && _lifetime.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                Log($"accept failed: {ex.Message}");
                await Task.Delay(100);
                continue;
            }
            lock (_lock)
            {
                var task = ServeClientAsync(client);
                _clients.Add(task);
                _ = task.ContinueWith(t =>
                {
                    lock (_lock) _clients.Remove(t);
                }, TaskScheduler.Default);
            }
        }
    }

    private async Task ServeClientAsync(Socket socket)
    {
        await Task.Yield();
        await using var connection = new LineConnection(socket);
        var ct = _lifetime.Token;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                string? line;
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    idle.CancelAfter(_options.ClientIdleTimeout);
                    line = await connection.ReadLineAsync(idle.Token);
                }
                if (line is null)
                    return;
                if (line.Length == 0)
                    continue;
                var (response, shutdown) = await HandleLineAsync(line, ct);
                using (var write = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    write.CancelAfter(_options.ClientIdleTimeout);
                    await connection.WriteLineAsync(IscsidProtocol.Serialize(response), write.Token);
                }
                if (shutdown)
                {
                    connection.Shutdown();
                    _ = StopAsync();
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or InvalidDataException or ObjectDisposedException)
        {
            // The client went away, idled out, sent an over-long line, or the daemon is stopping.
        }
    }

    private async Task<(IscsidResponse Response, bool Shutdown)> HandleLineAsync(string line, CancellationToken ct)
    {
        IscsidRequest request;
        try
        {
            request = IscsidProtocol.ParseRequest(line);
        }
        catch (JsonException ex)
        {
            return (Fail(IscsiError.InvalidMgmtRequest, $"the request is not valid JSON: {ex.Message}"), false);
        }
        if (request.Version != IscsidProtocol.Version)
            return (Fail(IscsiError.InvalidMgmtRequest, $"protocol version {request.Version} is not supported; this iscsid speaks version {IscsidProtocol.Version}"), false);
        if (request.Op == IscsidProtocol.Shutdown)
        {
            Log("shutdown requested");
            return (new IscsidResponse(), true);
        }
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(_options.RequestTimeout);
        return (await DispatchAsync(request, bound.Token), false);
    }

    private void Log(string text) => _log?.WriteLine("iscsid: " + text);
}
