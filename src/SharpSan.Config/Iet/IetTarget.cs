namespace SharpSan.Config;

/// <summary>One "Target NAME" stanza of ietd.conf and what followed it up to the next Target line.</summary>
internal sealed class IetTarget(string name, int line)
{
    public string Name { get; } = name;
    public int Line { get; } = line;
    public List<IetLun> Luns { get; } = new();
    public List<IetAccount> IncomingUsers { get; } = new();
    public IetAccount? OutgoingUser { get; set; }
    /// <summary>iSCSI keys under their RFC names (LIO's parameter names), values as LIO writes them.</summary>
    public Dictionary<string, string> Parameters { get; } = new(StringComparer.Ordinal);
    /// <summary>Line of each key in <see cref="Parameters"/>, for errors found when they are combined.</summary>
    public Dictionary<string, int> ParameterLines { get; } = new(StringComparer.Ordinal);
    /// <summary>QueuedCommands: the command window (LIO's default_cmdsn_depth); null when not set.</summary>
    public int? QueuedCommands { get; set; }
}
