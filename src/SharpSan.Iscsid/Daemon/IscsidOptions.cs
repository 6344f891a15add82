using SharpSan.Iscsid.Protocol;
using SharpSan.NodeRecords;

namespace SharpSan.Iscsid.Daemon;

/// <summary>Settings of an <see cref="IscsidDaemon"/>.</summary>
public sealed class IscsidOptions
{
    /// <summary>The Unix socket; see <see cref="IscsidProtocol.SocketPathFromEnvironment"/>.</summary>
    public string SocketPath { get; set; } = IscsidProtocol.SocketPathFromEnvironment();

    /// <summary>initiatorname.iscsi, read (or created) when a node record has no iface.initiatorname.</summary>
    public string InitiatorNamePath { get; set; } = NodeDatabase.FromEnvironment().InitiatorNamePath;

    /// <summary>Upper bound on handling one request (a login is bounded by its own login_timeout too).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>A client connection that sends no request for this long is closed.</summary>
    public TimeSpan ClientIdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Bound on logging out every session at shutdown.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Makes local devices for LUNs; null leaves sessions without attached devices.</summary>
    public ILunAttacher? LunAttacher { get; set; }

    /// <summary>Where the daemon writes its one-line log messages; null is silent.</summary>
    public TextWriter? Log { get; set; }
}
