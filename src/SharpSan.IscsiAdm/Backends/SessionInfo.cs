namespace SharpSan.IscsiAdm.Backends;

/// <summary>
/// One logged-in session as iscsid knows it: the facts `iscsiadm -m session` prints
/// (usr/session_info.c). States use the kernel/iscsid words: connection "LOGGED IN",
/// session "LOGGED_IN" / "FAILED" / "FREE", internal "NO CHANGE" / "REOPEN" ...
/// </summary>
public sealed record SessionInfo
{
    public required int Sid { get; init; }
    public required string TargetName { get; init; }
    /// <summary>Current (connected) portal address and port.</summary>
    public required string Address { get; init; }
    public required int Port { get; init; }
    public required int Tpgt { get; init; }
    /// <summary>The portal of the node record (differs from Address after a redirect).</summary>
    public string? PersistentAddress { get; init; }
    public int? PersistentPort { get; init; }
    public string Transport { get; init; } = "tcp";
    public string IfaceName { get; init; } = "default";
    public string? IfaceInitiatorName { get; init; }
    /// <summary>The local address of the connection.</summary>
    public string? IfaceIpAddress { get; init; }
    public string? IfaceHwAddress { get; init; }
    public string? IfaceNetdev { get; init; }
    public bool IsFlash { get; init; }
    public string ConnectionState { get; init; } = "LOGGED IN";
    public string SessionState { get; init; } = "LOGGED_IN";
    public string InternalSessionState { get; init; } = "NO CHANGE";
    public int RecoveryTimeout { get; init; } = 120;
    public int TargetResetTimeout { get; init; } = 30;
    public int LunResetTimeout { get; init; } = 30;
    public int AbortTimeout { get; init; } = 15;
    public string Username { get; init; } = "";
    public string Password { get; init; } = "";
    public string UsernameIn { get; init; } = "";
    public string PasswordIn { get; init; } = "";
    public NegotiatedParameters Negotiated { get; init; } = new();
    /// <summary>The SCSI host number; null prints "Unavailable" under "Attached SCSI devices:".</summary>
    public int? HostNumber { get; init; }
    public string HostState { get; init; } = "running";
    public IReadOnlyList<AttachedDevice> Devices { get; init; } = [];

    public string EffectivePersistentAddress => PersistentAddress ?? Address;
    public int EffectivePersistentPort => PersistentPort ?? Port;
}
