namespace SharpSan.Config.Tgt;

/// <summary>
/// A &lt;target IQN&gt; block of targets.conf. Blocks naming the same target are merged, as tgt-admin's
/// parser does (Config::General -MergeDuplicateBlocks).
/// </summary>
public sealed class TargetsConfTarget
{
    public required string Name { get; init; }
    public required string File { get; init; }
    public int Line { get; init; }
    /// <summary>The target's own options (LUN defaults, ACLs, accounts, iSCSI keys), in file order.</summary>
    public List<TargetsConfOption> Options { get; } = new();
    /// <summary>Its backing-store and direct-store entries, in file order.</summary>
    public List<TargetsConfStore> Stores { get; } = new();

    public string Where => $"{File}:{Line}";

    public IEnumerable<TargetsConfOption> All(string key) => Options.Where(o => o.Key == key);

    /// <summary>The option when given once; null when absent. Twice is refused by the reader for the
    /// keys that tgt-admin takes once.</summary>
    public TargetsConfOption? Find(string key) => Options.LastOrDefault(o => o.Key == key);
}
