using System.Globalization;
using System.Net.Sockets;
using SharpSan.Initiator;
using SharpSan.Iscsid.Protocol;
using SharpSan.NodeRecords;
using SharpSan.Protocol;

namespace SharpSan.Iscsid.Daemon;

/// <summary>An outcome of a session request: an open-iscsi error code, a reason, the sid of a new session.</summary>
internal readonly record struct SessionOutcome(IscsiError Error, string? Message = null, int? Sid = null);

/// <summary>
/// The sessions iscsid holds, by sid (from 1, as open-iscsi numbers them). Login maps the node record
/// to <see cref="InitiatorOptions"/>, refuses a second session to the same target, portal and iface
/// (15), and attaches LUNs through the <see cref="ILunAttacher"/> when there is one.
/// </summary>
internal sealed class SessionTable
{
    private readonly IscsidOptions _options;
    private readonly object _lock = new();
    private readonly SortedDictionary<int, ManagedSession> _sessions = new();
    private readonly HashSet<string> _busyKeys = new(StringComparer.Ordinal);
    private int _nextSid = 1;
    private int _nextHost;
    private readonly Action<string> _log;

    public SessionTable(IscsidOptions options, Action<string> log)
    {
        _options = options;
        _log = log;
    }

    public int Count
    {
        get
        {
            lock (_lock) return _sessions.Count;
        }
    }

    public List<SessionFacts> List()
    {
        ManagedSession[] all;
        lock (_lock) all = [.. _sessions.Values];
        return all.Select(s => s.ToFacts()).ToList();
    }

    public async Task<SessionOutcome> LoginAsync(NodeRecord record, CancellationToken ct)
    {
        var key = ManagedSession.KeyOf(record);
        lock (_lock)
        {
            if (_busyKeys.Contains(key) || _sessions.Values.Any(s => s.Key == key))
                return new(IscsiError.SessionExists, $"a session to {record.TargetName} at {record.PortalText} through iface {record.IfaceName} exists");
            _busyKeys.Add(key);
        }
        try
        {
            return await LoginCoreAsync(record, ct);
        }
        finally
        {
            lock (_lock) _busyKeys.Remove(key);
        }
    }

    private async Task<SessionOutcome> LoginCoreAsync(NodeRecord record, CancellationToken ct)
    {
        IscsiSession session;
        try
        {
            var initiatorName = record["iface.initiatorname"];
            if (initiatorName.Length == 0)
                initiatorName = InitiatorName.ReadOrCreate(_options.InitiatorNamePath);
            var options = NodeLogin.Options(record, initiatorName);
            var portal = await NodeLogin.PortalAsync(record, ct);
            session = await IscsiSession.LoginAsync(portal, record.TargetName, options, ct);
        }
        catch (Exception ex) when (LoginError(ex, ct) is { } error)
        {
            Log($"login to {record.TargetName} at {record.PortalText} failed: {ex.Message}");
            return new(error, ex.Message);
        }

        int sid;
        int? host = null;
        lock (_lock)
        {
            sid = _nextSid++;
            if (_options.LunAttacher is not null)
                host = _nextHost++;
        }
        var managed = new ManagedSession(sid, session, record, host);
        try
        {
            if (_options.LunAttacher is { } attacher)
                await AttachLunsAsync(managed, attacher, ct);
        }
        catch (OperationCanceledException)
        {
            // The request timed out or the daemon is stopping while LUNs were attached: leave nothing behind.
            await DetachAsync(managed, CancellationToken.None);
            await session.DisposeAsync();
            return new(IscsiError.TransportTimeout, $"attaching the LUNs of {record.TargetName} did not finish in time");
        }
        lock (_lock) _sessions.Add(sid, managed);
        Log(string.Create(CultureInfo.InvariantCulture, $"session {sid}: logged in to {record.TargetName} at {session.ConnectedPortal} (TSIH {session.Tsih})"));
        return new(IscsiError.Success, null, sid);
    }

    /// <summary>open-iscsi's codes for a failed login; null for exceptions that are not login failures.</summary>
    private static IscsiError? LoginError(Exception ex, CancellationToken ct) => ex switch
    {
        IscsiLoginException { Status: LoginStatus.AuthenticationFailure or LoginStatus.AuthorizationFailure } => IscsiError.LoginAuthFailed,
        IscsiLoginException => IscsiError.Login,
        TimeoutException => IscsiError.TransportTimeout,
        OperationCanceledException when ct.IsCancellationRequested => IscsiError.TransportTimeout,
        SocketException or IOException => IscsiError.Transport,
        ArgumentException => IscsiError.InvalidArgument,
        IscsiSessionException => IscsiError.Login,
        UnauthorizedAccessException => IscsiError.Access,
        _ => null,
    };

    /// <summary>Every block LUN the target reports gets a device; a LUN that fails is listed without one.</summary>
    private async Task AttachLunsAsync(ManagedSession managed, ILunAttacher attacher, CancellationToken ct)
    {
        IReadOnlyList<ulong> luns;
        try
        {
            luns = await LunScanner.ReportLunsAsync(managed.Session, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log($"session {managed.Sid}: REPORT LUNS failed: {ex.Message}");
            return;
        }
        foreach (var lun in luns)
        {
            string? path = null;
            try
            {
                await BlockDevice.OpenAsync(managed.Session, lun, ct);
                path = await attacher.AttachAsync(managed.Session, lun, string.Create(CultureInfo.InvariantCulture, $"sharpsan-s{managed.Sid}-l{lun}"), ct);
            }
            catch (NotSupportedException)
            {
                continue; // not a block device (SPC peripheral type other than 0)
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Log($"session {managed.Sid}: LUN {lun} not attached: {ex.Message}");
            }
            lock (managed.Devices)
                managed.Devices.Add(new DeviceFacts { Lun = (int)lun, DevicePath = path, State = path is null ? "offline" : "running" });
        }
    }

    public async Task<SessionOutcome> LogoutAsync(int sid, CancellationToken ct, bool force = false)
    {
        ManagedSession? managed;
        lock (_lock)
        {
            // A session whose device is mounted stays: logging out would pull the disk from under the
            // filesystem. Shutdown forces it (the filesystem then sees I/O errors).
            if (!force && _options.LunAttacher is { } attacher && _sessions.TryGetValue(sid, out var candidate))
            {
                string? busy;
                lock (candidate.Devices)
                    busy = candidate.Devices.Where(d => d.DevicePath is not null).Select(d => attacher.InUse(d.DevicePath!, candidate.Session)).FirstOrDefault(r => r is not null);
                if (busy is not null)
                    return new(IscsiError.Busy, busy);
            }
            if (_sessions.Remove(sid, out managed))
                _busyKeys.Add(managed.Key);
        }
        if (managed is null)
            return new(IscsiError.SessionNotFound, string.Create(CultureInfo.InvariantCulture, $"no session with sid {sid}"));
        try
        {
            await DetachAsync(managed, ct);
            var timeout = managed.Record.GetInteger("node.conn[0].timeo.logout_timeout");
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bound.CancelAfter(TimeSpan.FromSeconds(timeout > 0 ? timeout : 15));
            await managed.Session.LogoutAsync(bound.Token);
            Log(string.Create(CultureInfo.InvariantCulture, $"session {sid}: logged out of {managed.Session.TargetName}"));
            return new(IscsiError.Success);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or IscsiSessionException or IOException or SocketException)
        {
            Log(string.Create(CultureInfo.InvariantCulture, $"session {sid}: logout failed, connection closed: {ex.Message}"));
            return new(IscsiError.Logout, ex.Message);
        }
        finally
        {
            await managed.Session.DisposeAsync();
            lock (_lock) _busyKeys.Remove(managed.Key);
        }
    }

    private async Task DetachAsync(ManagedSession managed, CancellationToken ct)
    {
        if (_options.LunAttacher is not { } attacher)
            return;
        List<DeviceFacts> devices;
        lock (managed.Devices)
        {
            devices = [.. managed.Devices];
            managed.Devices.Clear();
        }
        foreach (var d in devices.Where(d => d.DevicePath is not null))
        {
            try
            {
                await attacher.DetachAsync(d.DevicePath!, managed.Session, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Log($"session {managed.Sid}: detaching {d.DevicePath} failed: {ex.Message}");
            }
        }
    }

    /// <summary>Logs out of every session, in parallel (shutdown, SIGTERM).</summary>
    public async Task LogoutAllAsync(CancellationToken ct)
    {
        int[] sids;
        lock (_lock) sids = [.. _sessions.Keys];
        await Task.WhenAll(sids.Select(sid => LogoutAsync(sid, ct, force: true)));
    }

    private void Log(string text) => _log(text);
}
