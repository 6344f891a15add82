using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SharpSan.Target.Diagnostics;
using SharpSan.Target.Runtime;

namespace SharpSan.Target;

/// <summary>
/// The iSCSI target: listens on every portal of its <see cref="TargetTopology"/>, owns connections and
/// the session table (TSIH allocation, session reinstatement), and stops everything it started. It
/// neither opens nor closes backstores: whoever builds the topology owns its logical units.
/// </summary>
public sealed partial class IscsiTargetServer : IAsyncDisposable
{
    private readonly Dictionary<IPEndPoint, (Socket Socket, Task Loop)> _listeners = new();
    private readonly SemaphoreSlim _applyLock = new(1, 1);
    private readonly HashSet<IscsiConnection> _connections = new();
    private volatile int _connectionCount;

    /// <summary>Open connections (login and full feature phase).</summary>
    internal int ConnectionCount => _connectionCount;
    private readonly Dictionary<IscsiConnection, Task> _connectionTasks = new();
    private readonly Dictionary<ushort, IscsiSession> _sessions = new();
    private readonly CancellationTokenSource _stopping = new();
    private ushort _nextTsih = 1;

    private volatile TargetTopology _topology;

    private IscsiTargetServer(TargetTopology topology, TargetOptions options)
    {
        _topology = topology;
        Options = options;
    }

    /// <summary>What is being served; replaced whole by <see cref="ApplyAsync"/>.</summary>
    public TargetTopology Topology => _topology;
    public TargetOptions Options { get; }

    /// <summary>The endpoints actually bound.</summary>
    public IReadOnlyList<IPEndPoint> BoundEndpoints
    {
        get
        {
            lock (_listeners) return _listeners.Values.Select(l => (IPEndPoint)l.Socket.LocalEndPoint!).ToList();
        }
    }

    /// <summary>Listens on every portal of <paramref name="topology"/>. Any failure leaves nothing
    /// listening.</summary>
    public static async Task<IscsiTargetServer> StartAsync(TargetTopology topology, TargetOptions options)
    {
        var server = new IscsiTargetServer(topology, options);
        try
        {
            foreach (var ep in topology.ListenEndpoints()) server.StartListener(server.Bind(ep));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    /// <summary>Binds a listening socket; a port already taken names the process holding it.</summary>
    private Socket Bind(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (endpoint.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = endpoint.Address.Equals(IPAddress.IPv6Any);
            socket.Bind(endpoint);
            socket.Listen(128);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            var owner = ex.SocketErrorCode == SocketError.AddressAlreadyInUse ? PortOwner.Describe(endpoint.Port) : null;
            throw new IOException($"cannot listen on {Format(endpoint)}: {ex.Message}{(owner is null ? "" : $" (held by {owner})")}", ex);
        }
        return socket;
    }

    private void StartListener(Socket socket)
    {
        var endpoint = (IPEndPoint)socket.LocalEndPoint!;
        lock (_listeners) _listeners[endpoint] = (socket, AcceptLoopAsync(socket));
        Log.Info($"listening on {Format(endpoint)}");
    }

    private static string Format(IPEndPoint ep) =>
        ep.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ep.Address}]:{ep.Port}" : ep.ToString();

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                Log.Warning($"accept on {listener.LocalEndPoint}: {ex.Message}");
                continue;
            }
            var connection = new IscsiConnection(this, client, _stopping.Token);
            lock (_connections)
            {
                _connections.Add(connection);
                _connectionCount = _connections.Count;
                _connectionTasks[connection] = RunConnectionAsync(connection);
            }
        }
    }

    private async Task RunConnectionAsync(IscsiConnection connection)
    {
        await Task.Yield();
        try
        {
            await connection.RunAsync();
        }
        finally
        {
            lock (_connections)
            {
                _connections.Remove(connection);
                _connectionCount = _connections.Count;
                _connectionTasks.Remove(connection);
            }
        }
    }

    /// <summary>Our negotiation values: built-in defaults, overridden by the TPG's "parameters".</summary>
    internal Dictionary<string, string> LocalNegotiationValues(TargetPortalGroup? tpg)
    {
        string N(int v) => v.ToString(CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [NegotiationKeys.HeaderDigest] = "CRC32C,None",
            [NegotiationKeys.DataDigest] = "CRC32C,None",
            [NegotiationKeys.MaxConnections] = "1",
            [NegotiationKeys.InitialR2T] = "No",
            [NegotiationKeys.ImmediateData] = "Yes",
            [NegotiationKeys.MaxBurstLength] = N(Options.MaxBurstLength),
            [NegotiationKeys.FirstBurstLength] = N(Options.FirstBurstLength),
            [NegotiationKeys.DefaultTime2Wait] = "2",
            [NegotiationKeys.DefaultTime2Retain] = "20",
            [NegotiationKeys.MaxOutstandingR2T] = N(Options.MaxOutstandingR2T),
            [NegotiationKeys.DataPDUInOrder] = "Yes",
            [NegotiationKeys.DataSequenceInOrder] = "Yes",
            [NegotiationKeys.ErrorRecoveryLevel] = "0",
            [NegotiationKeys.IscsiProtocolLevel] = "1",
            [NegotiationKeys.TaskReporting] = "RFC3720",
        };
        if (tpg is not null)
        {
            foreach (var (k, v) in tpg.Parameters)
            {
                // We implement ERL 0 and one connection per session whatever the file says.
                if (k is NegotiationKeys.ErrorRecoveryLevel or NegotiationKeys.MaxConnections) continue;
                if (NegotiationKeys.TryGet(k, out var def) && def.Rule != NegotiationRule.Declarative) values[k] = v;
            }
        }
        return values;
    }

    internal int OurMaxRecvDataSegmentLength(TargetPortalGroup? tpg)
    {
        if (tpg is not null && tpg.Parameters.TryGetValue(NegotiationKeys.MaxRecvDataSegmentLength, out var v)
            && Negotiator.TryParseNumber(v, out var n) && n >= 512 && n <= 16777215)
            return (int)n;
        return Options.MaxRecvDataSegmentLength;
    }

    internal IscsiSession? FindSession(ushort tsih)
    {
        lock (_sessions) return _sessions.GetValueOrDefault(tsih);
    }

    /// <summary>
    /// Creates the session at the end of a successful login. Session reinstatement (RFC 7143 §6.3.5):
    /// a login with TSIH 0 and the ISID of an existing session of the same initiator to the same target
    /// replaces that session, whose connection is dropped and tasks aborted.
    /// </summary>
    internal IscsiSession? CreateSession(LoginState state, IscsiConnection connection, uint firstCmdSN, out List<Task> replacedClosed)
    {
        replacedClosed = new List<Task>();
        List<IscsiSession> replaced = new();
        IscsiSession session;
        lock (_sessions)
        {
            foreach (var s in _sessions.Values)
            {
                if (s.Isid == state.Isid && s.InitiatorName == state.InitiatorName && s.IsDiscovery == state.Discovery
                    && ReferenceEquals(s.Tpg?.Target, state.Target))
                    replaced.Add(s);
            }
            foreach (var s in replaced) _sessions.Remove(s.Tsih);
            if (_sessions.Count >= 65534) return null;
            ushort tsih;
            if (state.ReinstateTsih != 0 && !_sessions.ContainsKey(state.ReinstateTsih))
            {
                tsih = state.ReinstateTsih;
            }
            else
            {
                while (_nextTsih == 0 || _sessions.ContainsKey(_nextTsih)) _nextTsih++;
                tsih = _nextTsih++;
            }
            int window = state.Tpg is { CommandWindow: > 0 } t ? t.CommandWindow : Options.CommandWindow;
            session = new IscsiSession(tsih, state.Isid, state.InitiatorName, state.Discovery, firstCmdSN, window)
            {
                InitiatorAlias = state.InitiatorAlias,
                Tpg = state.Tpg,
                Connection = connection,
                DynamicAcl = !state.Discovery && state.Acl is null,
                NopInInterval = state.Acl?.NopInInterval ?? Options.NopInInterval,
                NopInTimeout = state.Acl?.NopInTimeout ?? Options.NopInTimeout,
            };
            _sessions[tsih] = session;
        }
        foreach (var old in replaced)
        {
            Log.Info($"session reinstatement: {old.InitiatorName} ISID 0x{old.Isid:x12} replaces TSIH {old.Tsih}");
            if (old.Connection is { } c)
            {
                c.Abort();
                replacedClosed.Add(c.Closed);
            }
        }
        var ourMrdsl = OurMaxRecvDataSegmentLength(state.Tpg);
        session.Parameters = OperationalParameters.From(state.Negotiator.Results, ourMrdsl);
        if (state.Tpg is { } tpg)
        {
            session.LunMap = tpg.BuildLunMap(state.Acl);
            AdoptUnits(session.LunMap);
            session.Nexus = new ItNexus(session.InitiatorPortName, $"{tpg.Target.Name},t,0x{tpg.Tag:x4}", tpg.RelativeTargetPortId, IscsiScsiTransport.Descriptor);
        }
        return session;
    }

    /// <summary>Called by a connection when it closes: the session ends with it (ERL 0).
    /// <paramref name="nexusLoss"/>: it ended without a logout (connection dropped, session reinstated,
    /// closed by the target), so its units report I_T NEXUS LOSS OCCURRED when the nexus returns.</summary>
    internal void SessionEnded(IscsiSession session, IscsiConnection connection, bool nexusLoss)
    {
        // Once per session: a logout ends it before answering, and the connection's close path comes
        // later; a second NexusLost could release what a new session of the same nexus holds by then.
        if (!session.TryMarkEnded()) return;
        // The units learn of the loss before the session leaves the table: a login of the same nexus
        // that no longer finds it to reinstate must find the I_T NEXUS LOSS OCCURRED already pending.
        if (session.Nexus is { } nexus)
        {
            foreach (var entry in session.LunMap.Entries) entry.Unit.NexusLost(nexus, reportLoss: nexusLoss);
        }
        lock (_sessions)
        {
            if (_sessions.TryGetValue(session.Tsih, out var s) && ReferenceEquals(s, session)) _sessions.Remove(session.Tsih);
        }
        if (!session.IsDiscovery)
            Log.Info($"session closed: {session.InitiatorName} TSIH {session.Tsih}");
    }

    internal List<IscsiSession> SessionsSnapshot()
    {
        lock (_sessions) return _sessions.Values.ToList();
    }

    /// <summary>Every session, discovery ones included, ordered by TSIH (for management tools).</summary>
    public IReadOnlyList<SessionSnapshot> DescribeSessions()
    {
        var list = new List<SessionSnapshot>();
        foreach (var s in SessionsSnapshot().OrderBy(s => s.Tsih))
        {
            var luns = s.LunMap.Entries.Select(e => new SessionLun(e.Lun, e.Unit, e.WriteProtected)).ToList();
            var connections = s.Connection is { } c ? new[] { new SessionConnection(c.Cid, c.Remote) } : [];
            // tgt lists a counter line for every LU the nexus sees, used or not.
            foreach (var e in s.LunMap.Entries) s.Statistics.For(e.Lun);
            list.Add(new SessionSnapshot(s.Tpg?.Target.Name ?? "", s.Tpg?.Tag ?? 0, s.InitiatorName, s.InitiatorAlias,
                s.Tsih, s.Isid, s.IsDiscovery, s.DynamicAcl, luns, connections, s.IsDiscovery ? [] : s.Statistics.Snapshot()));
        }
        return list;
    }

    /// <summary>Closes connection <paramref name="cid"/> of session <paramref name="tsih"/> (tgtadm
    /// --mode conn --op delete) and returns once it is closed; false when there is no such connection.</summary>
    public async Task<bool> CloseConnectionAsync(ushort tsih, ushort cid)
    {
        var session = FindSession(tsih);
        if (session?.Connection is not { } c || c.Cid != cid) return false;
        Log.Info($"closing connection CID {cid} of {session.InitiatorName} (TSIH {tsih}) on request");
        c.Abort();
        await c.Closed.WaitAsync(Options.DrainTimeout + TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        return true;
    }

    /// <summary>Stops accepting and drops every connection (in-flight commands finish or are aborted
    /// within <see cref="TargetOptions.DrainTimeout"/>). The logical units stay open: their owner
    /// flushes and closes them once this returns.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        _stopping.Cancel();
        List<Task> loops;
        lock (_listeners)
        {
            foreach (var l in _listeners.Values) l.Socket.Dispose();
            loops = _listeners.Values.Select(l => l.Loop).ToList();
            _listeners.Clear();
        }
        await Task.WhenAll(loops);
        Task[] running;
        lock (_connections)
        {
            foreach (var c in _connections) c.Abort();
            running = _connectionTasks.Values.ToArray();
        }
        await Task.WhenAll(running).WaitAsync(Options.DrainTimeout + TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
    }
}
