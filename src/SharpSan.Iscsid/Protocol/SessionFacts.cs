using System.Text.Json.Serialization;

namespace SharpSan.Iscsid.Protocol;

/// <summary>
/// What the daemon tells about one session on the wire; the client turns it into
/// iscsiadm's SessionInfo. Kept apart from SessionInfo so the socket
/// format changes only with <see cref="IscsidProtocol.Version"/>.
/// </summary>
public sealed record SessionFacts
{
    [JsonPropertyName("sid")] public int Sid { get; init; }
    [JsonPropertyName("target")] public string TargetName { get; init; } = "";
    [JsonPropertyName("address")] public string Address { get; init; } = "";
    [JsonPropertyName("port")] public int Port { get; init; }
    [JsonPropertyName("tpgt")] public int Tpgt { get; init; }
    [JsonPropertyName("persistent_address")] public string PersistentAddress { get; init; } = "";
    [JsonPropertyName("persistent_port")] public int PersistentPort { get; init; }
    [JsonPropertyName("iface")] public string IfaceName { get; init; } = "default";
    [JsonPropertyName("transport")] public string Transport { get; init; } = "tcp";
    [JsonPropertyName("initiator_name")] public string InitiatorName { get; init; } = "";
    [JsonPropertyName("local_address")] public string? LocalAddress { get; init; }
    [JsonPropertyName("connection_state")] public string ConnectionState { get; init; } = "LOGGED IN";
    [JsonPropertyName("session_state")] public string SessionState { get; init; } = "LOGGED_IN";
    [JsonPropertyName("internal_state")] public string InternalState { get; init; } = "NO CHANGE";
    [JsonPropertyName("recovery_timeout")] public int RecoveryTimeout { get; init; }
    [JsonPropertyName("target_reset_timeout")] public int TargetResetTimeout { get; init; }
    [JsonPropertyName("lun_reset_timeout")] public int LunResetTimeout { get; init; }
    [JsonPropertyName("abort_timeout")] public int AbortTimeout { get; init; }
    [JsonPropertyName("username")] public string Username { get; init; } = "";
    [JsonPropertyName("password")] public string Password { get; init; } = "";
    [JsonPropertyName("username_in")] public string UsernameIn { get; init; } = "";
    [JsonPropertyName("password_in")] public string PasswordIn { get; init; } = "";
    /// <summary>The negotiated keys by RFC name ("HeaderDigest": "None", "MaxBurstLength": "262144", ...).</summary>
    [JsonPropertyName("negotiated")] public Dictionary<string, string> Negotiated { get; init; } = new();
    /// <summary>Null when no LUN attacher runs (no local devices, like a host without a SCSI host).</summary>
    [JsonPropertyName("host_number")] public int? HostNumber { get; init; }
    [JsonPropertyName("devices")] public List<DeviceFacts> Devices { get; init; } = [];
}

/// <summary>A LUN of a session and the local device an <see cref="Daemon.ILunAttacher"/> made for it.</summary>
public sealed record DeviceFacts
{
    [JsonPropertyName("lun")] public int Lun { get; init; }
    [JsonPropertyName("device")] public string? DevicePath { get; init; }
    [JsonPropertyName("state")] public string State { get; init; } = "running";
}
