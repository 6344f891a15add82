using SharpSan.Config;

namespace SharpSan.Control;

/// <summary>The whole configuration tree as the daemon holds it, with the generation that changes
/// each time the tree does (optimistic concurrency for read-modify-write tools).</summary>
public sealed record ConfigSnapshot(SanConfig Config, long Generation, string ConfigPath);

/// <summary>One connection of a session.</summary>
public sealed record ConnectionInfo(ushort Cid, string Address, string State);

/// <summary>One LUN as a session sees it.</summary>
public sealed record SessionLunInfo(ulong Lun, string StorageObject, bool WriteProtect);

/// <summary>One iSCSI session on the live daemon.</summary>
public sealed record SessionInfo(
    string TargetName,
    ushort Tpg,
    string InitiatorName,
    string InitiatorAlias,
    ushort Tsih,
    string Isid,
    string SessionType,
    string State,
    bool DynamicAcl,
    IReadOnlyList<SessionLunInfo> Luns,
    IReadOnlyList<ConnectionInfo> Connections);

/// <summary>I/O counters of one LUN through one I_T nexus (the session's TSIH), as tgt keeps them
/// (tgtadm --op stat, usr/target.c tgt_stat_line).</summary>
public sealed record LunStatisticsInfo(
    string TargetName,
    ushort Tsih,
    ulong Lun,
    long ReadSubmittedBytes,
    long ReadSubmittedCommands,
    long ReadDoneBytes,
    long ReadDoneCommands,
    long WriteSubmittedBytes,
    long WriteSubmittedCommands,
    long WriteDoneBytes,
    long WriteDoneCommands,
    long Errors);

/// <summary>
/// The control API as tools see it (targetcli, tgtadm, the initiator's tools). Every change is a whole
/// new tree submitted with the generation it was derived from: the daemon validates it in one place,
/// applies it live and atomically (a refused tree changes nothing), or refuses it with a
/// <see cref="ControlException"/> whose message a person can act on.
/// </summary>
public interface IControlClient
{
    Task<ConfigSnapshot> GetConfigAsync(CancellationToken cancellationToken = default);

    /// <summary>Replaces the live tree. Throws <see cref="ControlException"/> (kind Conflict) when the
    /// tree changed since <paramref name="expectedGeneration"/>, (kind Invalid) when it is refused.
    /// Returns the new generation.</summary>
    Task<long> PutConfigAsync(SanConfig config, long expectedGeneration, CancellationToken cancellationToken = default);

    /// <summary>Saves the live tree (LIO saveconfig.json, atomic, with backups) to
    /// <paramref name="path"/> or the daemon's config file; returns the path written.</summary>
    Task<string> SaveConfigAsync(string? path = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SessionInfo>> GetSessionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Per-LUN I/O counters of every normal session.</summary>
    Task<IReadOnlyList<LunStatisticsInfo>> GetStatisticsAsync(CancellationToken cancellationToken = default);

    /// <summary>Closes connection <paramref name="cid"/> of the session with TSIH <paramref name="tsih"/>
    /// and returns once it is closed. Throws <see cref="ControlException"/> (kind NotFound) when there is none.</summary>
    Task CloseConnectionAsync(ushort tsih, ushort cid, CancellationToken cancellationToken = default);
}

/// <summary>Why the control API refused a request.</summary>
public enum ControlErrorKind
{
    /// <summary>The request or the tree it carries is invalid (validation, semantic conflict).</summary>
    Invalid,
    /// <summary>The tree changed since the generation the request was based on: read it again.</summary>
    Conflict,
    /// <summary>The daemon cannot be reached (not running, socket permissions).</summary>
    Unavailable,
    /// <summary>The session, connection or object the request names does not exist.</summary>
    NotFound,
    /// <summary>The daemon failed applying the change (e.g. a backstore file could not be opened); nothing changed.</summary>
    Failed,
}

/// <summary>A refused control request: a one-line message for the person at the terminal.</summary>
public sealed class ControlException : Exception
{
    public ControlException(ControlErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    public ControlErrorKind Kind { get; }
}
