namespace SharpSan.Config;

/// <summary>What ietd.conf says, before it becomes a <see cref="SanConfig"/>: the global (discovery)
/// accounts and the targets in file order.</summary>
internal sealed class IetdFile
{
    public List<IetAccount> DiscoveryIncoming { get; } = new();
    public IetAccount? DiscoveryOutgoing { get; set; }
    public List<IetTarget> Targets { get; } = new();
    /// <summary>Things accepted but not acted on, each "FILE:LINE: text".</summary>
    public List<string> Notes { get; } = new();
}
