namespace SharpSan.Config.Tgt;

/// <summary>
/// A LUN of a target: "backing-store PATH" (or "direct-store PATH"), written as one line or as a
/// &lt;backing-store PATH&gt; block holding the LUN's own options (which win over the target's).
/// </summary>
public sealed class TargetsConfStore
{
    public required string Path { get; init; }
    /// <summary>direct-store: tgt-admin reads the device's identity with sg_inq.</summary>
    public bool Direct { get; init; }
    public required string File { get; init; }
    public int Line { get; init; }
    /// <summary>The block's options, in file order (empty for the one-line form).</summary>
    public List<TargetsConfOption> Options { get; } = new();

    public string Where => $"{File}:{Line}";

    /// <summary>The last value of <paramref name="key"/> in the block, or null.</summary>
    public TargetsConfOption? Find(string key) => Options.LastOrDefault(o => o.Key == key);
}
