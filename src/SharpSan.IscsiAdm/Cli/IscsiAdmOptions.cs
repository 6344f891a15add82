namespace SharpSan.IscsiAdm.Cli;

/// <summary>The parsed command line, with iscsiadm's defaults (-1 for "not given").</summary>
public sealed class IscsiAdmOptions
{
    public IscsiAdmMode? Mode { get; set; }
    /// <summary>The -t text ("st", "sendtargets", "isns", "fw", "slp"); null when absent.</summary>
    public string? DiscoveryType { get; set; }
    public string? PortalAddress { get; set; }
    public int Port { get; set; } = -1;
    public int Tpgt { get; set; } = -1;
    public string? TargetName { get; set; }
    public List<string> Ifaces { get; } = [];
    public NodeOperation Operations { get; set; }
    public List<KeyValuePair<string, string>> Parameters { get; } = [];
    public bool Login { get; set; }
    public bool Logout { get; set; }
    public string? LoginAll { get; set; }
    public string? LogoutAll { get; set; }
    public int PrintLevel { get; set; } = -1;
    public int Sid { get; set; } = -1;
    public bool ShowSecrets { get; set; }
    public bool Stats { get; set; }
    public bool Rescan { get; set; }
    public bool Discover { get; set; }
    public int DebugLevel { get; set; }
    public bool Version { get; set; }
    public bool Help { get; set; }
    public int KillIscsid { get; set; } = -1;
    public string? Host { get; set; }
    public string? SubMode { get; set; }
    public bool NoWait { get; set; }
}
