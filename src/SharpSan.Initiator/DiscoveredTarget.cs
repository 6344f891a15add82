namespace SharpSan.Initiator;

/// <summary>One target from a SendTargets answer (RFC 7143 §13.3, Appendix C): its name and portal
/// addresses as the target wrote them, "ip:port,tpgt" (IPv6 in brackets).</summary>
public sealed record DiscoveredTarget(string TargetName, IReadOnlyList<string> TargetAddresses);
