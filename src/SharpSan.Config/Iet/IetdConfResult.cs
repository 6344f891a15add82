namespace SharpSan.Config;

/// <summary>An ietd.conf (and its access files) as a validated configuration tree.</summary>
public sealed class IetdConfResult(SanConfig config, IReadOnlyList<string> notes, IReadOnlyList<string> accessFiles)
{
    public SanConfig Config { get; } = config;

    /// <summary>What was accepted but is not acted on, or never read, one "FILE:LINE: text" each; worth logging.</summary>
    public IReadOnlyList<string> Notes { get; } = notes;

    /// <summary>The initiators.allow/initiators.deny/targets.allow files that were read.</summary>
    public IReadOnlyList<string> AccessFiles { get; } = accessFiles;
}
