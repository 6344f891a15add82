namespace SharpSan.NodeRecords;

/// <summary>CHAP credentials for a SendTargets discovery session (from st_config).</summary>
public sealed record DiscoveryAuth(
    string Username,
    string Password,
    string UsernameIn,
    string PasswordIn,
    IReadOnlyList<string> ChapAlgorithms);
