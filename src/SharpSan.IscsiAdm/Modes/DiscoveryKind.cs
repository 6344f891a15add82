namespace SharpSan.IscsiAdm.Modes;

/// <summary>The -t discovery types iscsiadm knows.</summary>
internal enum DiscoveryKind
{
    None,
    SendTargets,
    Slp,
    Isns,
    Firmware,
    Unknown,
}
