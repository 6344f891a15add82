using SharpSan.IscsiAdm.Backends;

namespace SharpSan.IscsiAdm;

/// <summary>
/// Where iscsiadm gets its protocol backends. Program.cs (or a test) replaces the factories; until
/// then discovery and session commands fail with exit code 20 and a one-line reason.
/// </summary>
public static class IscsiAdmBackends
{
    public static Func<IDiscoveryBackend> Discovery { get; set; } = () => new UnavailableDiscoveryBackend();

    public static Func<ISessionBackend> Sessions { get; set; } = () => new UnavailableSessionBackend();
}
