using SharpSan.Iscsid.Protocol;

namespace SharpSan.Iscsid.Client;

/// <summary>How a client of iscsid (iscsiadm's session backend) reaches it, and starts it when it is not running.</summary>
public sealed record IscsidClientOptions
{
    /// <summary>The daemon's socket; see <see cref="IscsidProtocol.SocketPathFromEnvironment"/>.</summary>
    public string SocketPath { get; init; } = IscsidProtocol.SocketPathFromEnvironment();

    /// <summary>The iscsid executable started (detached, "-f") when the socket does not answer; null never starts one.</summary>
    public string? DaemonPath { get; init; }

    /// <summary>How long a started daemon has to open its socket.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bound on list and shutdown; login and logout add the record's own timeout to it.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
