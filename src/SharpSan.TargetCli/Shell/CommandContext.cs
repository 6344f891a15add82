using SharpSan.Config;
using SharpSan.Control;
using SharpSan.TargetCli.Tree;

namespace SharpSan.TargetCli.Shell;

/// <summary>What a command runs with: the snapshot (a private copy it may mutate), the tree built from
/// it, the node it runs on, its bound parameters, and a buffer for its messages.</summary>
internal sealed class CommandContext
{
    public required TargetCliShell Shell { get; init; }
    public required ConfigSnapshot Snapshot { get; init; }
    public required TreeNode Node { get; init; }
    public required Dictionary<string, string> Args { get; init; }
    public List<string> ExtraPositional { get; init; } = new();
    public List<(string Key, string Value)> ExtraKeyword { get; init; } = new();

    public SanConfig Config => Snapshot.Config;
    public IControlClient Client => Shell.Client;

    /// <summary>Lines printed once the command has succeeded (a refused change prints only its error).</summary>
    public List<string> Messages { get; } = new();

    /// <summary>Set by commands that move the current node (cd, auto_cd_after_create).</summary>
    public string? NewCurrentPath { get; set; }

    public bool Committed { get; private set; }

    public string? Arg(string name) => Args.TryGetValue(name, out var v) ? v : null;

    public void Info(string message) => Messages.Add(message);

    /// <summary>targetcli's new_node: honours auto_cd_after_create.</summary>
    public void NewNode(string path)
    {
        if (!Shell.Prefs.GetBool("auto_cd_after_create"))
            return;
        Info($"Entering new node {path}");
        NewCurrentPath = path;
    }

    /// <summary>Submits the mutated tree with the generation it was read at.</summary>
    public async Task CommitAsync()
    {
        await Client.PutConfigAsync(Config, Snapshot.Generation).ConfigureAwait(false);
        Committed = true;
    }

    /// <summary>targetcli's ui_eval_param for booleans: true/false (any case), else its error.</summary>
    public bool BoolArg(string name, bool fallback)
    {
        var value = Arg(name);
        if (value is null)
            return fallback;
        return ParseBool(value);
    }

    public static bool ParseBool(string value)
    {
        if (value.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (value.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        throw new CliException($"Syntax error, '{value}' is not true|false.");
    }
}
