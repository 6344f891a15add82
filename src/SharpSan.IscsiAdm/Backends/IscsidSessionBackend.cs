using System.Globalization;
using SharpSan.Iscsid.Client;
using SharpSan.Iscsid.Protocol;
using SharpSan.NodeRecords;

namespace SharpSan.IscsiAdm.Backends;

/// <summary>
/// iscsiadm's session backend over the SharpSAN iscsid socket. Starts the daemon on demand when
/// <see cref="IscsidClientOptions.DaemonPath"/> is set; an unreachable daemon is
/// <see cref="IscsiAdmException"/> 20, an unanswered request 33, an unreadable answer 18.
/// </summary>
public sealed class IscsidSessionBackend : ISessionBackend
{
    private readonly IscsidClientOptions _options;
    private readonly IscsidClient _client;

    public IscsidSessionBackend(IscsidClientOptions? options = null)
    {
        _options = options ?? new IscsidClientOptions();
        _client = new IscsidClient(_options.SocketPath);
    }

    /// <summary>The Linux scsi_transport_iscsi version open-iscsi prints; SharpSAN mirrors its sysfs model.</summary>
    public string? TransportClassVersion => "2.0-870";

    /// <summary>The daemon's reason for the last failed login or logout (iscsiadm prints only the code).</summary>
    public string? LastMessage { get; private set; }

    public async Task<IReadOnlyList<SessionInfo>> ListSessionsAsync(CancellationToken cancellationToken)
    {
        var response = await SendAsync(new IscsidRequest { Op = IscsidProtocol.List }, _options.RequestTimeout, cancellationToken);
        if (response.Error != 0)
            throw new IscsiAdmException((IscsiError)response.Error, response.Message ?? "");
        return (response.Sessions ?? []).Select(ToSessionInfo).ToList();
    }

    public async Task<IscsiError> LoginAsync(NodeRecord node, CancellationToken cancellationToken)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in node.Schema.Keys)
            values[key.Name] = node[key.Name];
        var timeout = _options.RequestTimeout + TimeSpan.FromSeconds(Math.Max(0, node.GetInteger("node.conn[0].timeo.login_timeout")));
        var response = await SendAsync(new IscsidRequest { Op = IscsidProtocol.Login, Node = values }, timeout, cancellationToken);
        LastMessage = response.Message;
        return (IscsiError)response.Error;
    }

    public async Task<IscsiError> LogoutAsync(int sid, CancellationToken cancellationToken)
    {
        var response = await SendAsync(new IscsidRequest { Op = IscsidProtocol.Logout, Sid = sid }, _options.RequestTimeout + TimeSpan.FromSeconds(15), cancellationToken);
        LastMessage = response.Message;
        return (IscsiError)response.Error;
    }

    /// <summary>Asks the daemon to log out of every session and exit.</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken)
    {
        var response = await SendAsync(new IscsidRequest { Op = IscsidProtocol.Shutdown }, _options.RequestTimeout, cancellationToken, startDaemon: false);
        if (response.Error != 0)
            throw new IscsiAdmException((IscsiError)response.Error, response.Message ?? "");
    }

    private async Task<IscsidResponse> SendAsync(IscsidRequest request, TimeSpan timeout, CancellationToken ct, bool startDaemon = true)
    {
        IscsidResponse response;
        try
        {
            try
            {
                response = await _client.SendAsync(request, timeout, ct);
            }
            catch (IscsidUnavailableException) when (startDaemon && _options.DaemonPath is { } daemon && File.Exists(daemon))
            {
                await StartDaemonAsync(daemon, ct);
                response = await _client.SendAsync(request, timeout, ct);
            }
        }
        catch (IscsidUnavailableException ex)
        {
            throw new IscsiAdmException(IscsiError.IscsidNotConnected, ex.Message);
        }
        catch (TimeoutException ex)
        {
            throw new IscsiAdmException(IscsiError.RequestTimedOut, ex.Message);
        }
        catch (IOException ex)
        {
            throw new IscsiAdmException(IscsiError.IscsidCommError, ex.Message);
        }
        if (response.Version != IscsidProtocol.Version)
            throw new IscsiAdmException(IscsiError.IscsidCommError,
                string.Create(CultureInfo.InvariantCulture, $"iscsid speaks protocol version {response.Version}, this iscsiadm {IscsidProtocol.Version}"));
        return response;
    }

    private async Task StartDaemonAsync(string daemon, CancellationToken ct)
    {
        try
        {
            DaemonLauncher.StartDetached(daemon, ["-f"]);
        }
        catch (Exception ex) when (ex is IOException or System.ComponentModel.Win32Exception)
        {
            throw new IscsiAdmException(IscsiError.IscsidNotConnected, $"could not start iscsid ({daemon}): {ex.Message}");
        }
        if (!await DaemonLauncher.WaitForSocketAsync(_client, _options.StartTimeout, ct))
            throw new IscsiAdmException(IscsiError.IscsidNotConnected,
                string.Create(CultureInfo.InvariantCulture, $"iscsid ({daemon}) did not open {_options.SocketPath} within {_options.StartTimeout.TotalSeconds:0} s"));
    }

    internal static SessionInfo ToSessionInfo(SessionFacts f) => new()
    {
        Sid = f.Sid,
        TargetName = f.TargetName,
        Address = f.Address,
        Port = f.Port,
        Tpgt = f.Tpgt,
        PersistentAddress = f.PersistentAddress.Length > 0 ? f.PersistentAddress : null,
        PersistentPort = f.PersistentAddress.Length > 0 ? f.PersistentPort : null,
        Transport = f.Transport,
        IfaceName = f.IfaceName,
        IfaceInitiatorName = f.InitiatorName,
        IfaceIpAddress = f.LocalAddress,
        ConnectionState = f.ConnectionState,
        SessionState = f.SessionState,
        InternalSessionState = f.InternalState,
        RecoveryTimeout = f.RecoveryTimeout,
        TargetResetTimeout = f.TargetResetTimeout,
        LunResetTimeout = f.LunResetTimeout,
        AbortTimeout = f.AbortTimeout,
        Username = f.Username,
        Password = f.Password,
        UsernameIn = f.UsernameIn,
        PasswordIn = f.PasswordIn,
        Negotiated = ToNegotiated(f.Negotiated),
        HostNumber = f.HostNumber,
        Devices = f.Devices.Select(d => new AttachedDevice(0, d.Lun, d.DevicePath is null ? null : Path.GetFileName(d.DevicePath), d.State)).ToList(),
    };

    private static NegotiatedParameters ToNegotiated(Dictionary<string, string> p)
    {
        bool? Flag(string key, string yes) => p.TryGetValue(key, out var v) ? v == yes : null;
        int? Number(string key) => p.TryGetValue(key, out var v) && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
        return new NegotiatedParameters
        {
            HeaderDigest = Flag("HeaderDigest", "CRC32C"),
            DataDigest = Flag("DataDigest", "CRC32C"),
            MaxRecvDataSegmentLength = Number("MaxRecvDataSegmentLength"),
            MaxXmitDataSegmentLength = Number("MaxXmitDataSegmentLength"),
            FirstBurstLength = Number("FirstBurstLength"),
            MaxBurstLength = Number("MaxBurstLength"),
            ImmediateData = Flag("ImmediateData", "Yes"),
            InitialR2T = Flag("InitialR2T", "Yes"),
            MaxOutstandingR2T = Number("MaxOutstandingR2T"),
        };
    }
}
