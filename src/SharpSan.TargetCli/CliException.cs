namespace SharpSan.TargetCli;

/// <summary>A command that cannot run: its one-line message is printed as targetcli prints an
/// ExecutionError, and nothing was changed.</summary>
public sealed class CliException(string message) : Exception(message);
