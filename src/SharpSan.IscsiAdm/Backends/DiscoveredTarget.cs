namespace SharpSan.IscsiAdm.Backends;

/// <summary>One TargetName from a SendTargets answer with its TargetAddress values ("ip:port,tag").</summary>
public sealed record DiscoveredTarget(string Name, IReadOnlyList<string> Portals);
