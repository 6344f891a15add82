namespace SharpSan.TargetCli.Shell;

/// <summary>How the shell talks to its terminal (or to a pipe, or to a test).</summary>
public sealed class ShellOptions
{
    public TextWriter Out { get; init; } = Console.Out;
    public TextWriter Err { get; init; } = Console.Error;
    /// <summary>Width ls fills; 80 when not a terminal.</summary>
    public Func<int> Width { get; init; } = () => 80;
    /// <summary>True on a terminal: colours (with color_mode) are allowed.</summary>
    public bool IsTerminal { get; init; }
    /// <summary>Size of a file or block device, for ls summaries; null when unknown.</summary>
    public Func<string, ulong?> SizeProbe { get; init; } = Tree.DeviceSize.Probe;
    /// <summary>Host name used in generated target IQNs.</summary>
    public Func<string> HostName { get; init; } = () => Environment.MachineName;
    /// <summary>Current directory for relative file names (saveconfig, restoreconfig, fileio).</summary>
    public Func<string> CurrentDirectory { get; init; } = () => Environment.CurrentDirectory;
}
