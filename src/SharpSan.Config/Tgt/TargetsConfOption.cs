namespace SharpSan.Config.Tgt;

/// <summary>One "key value" line of targets.conf, with where it was written.</summary>
public sealed record TargetsConfOption(string Key, string Value, string File, int Line)
{
    /// <summary>"FILE:LINE", as errors name it.</summary>
    public string Where => $"{File}:{Line}";
}
