namespace SharpSan.Tgt.Tests;

/// <summary>What a tool printed and its exit code.</summary>
internal sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Both streams as the terminal shows them, then the exit code (the comparisons' unit).</summary>
    public string Transcript => $"{Stdout}{Stderr}[exit {ExitCode}]\n";

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
}
