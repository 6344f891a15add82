namespace SharpSan.Config.Tgt;

/// <summary>A parsed /etc/tgt/targets.conf with its includes: the global options and the targets.</summary>
public sealed class TargetsConfDocument
{
    public List<TargetsConfOption> Globals { get; } = new();
    public List<TargetsConfTarget> Targets { get; } = new();

    public TargetsConfOption? Global(string key) => Globals.LastOrDefault(o => o.Key == key);
}
