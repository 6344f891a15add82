using SharpSan.Config;
using SharpSan.Control;
using SharpSan.TargetCli.Editing;
using SharpSan.TargetCli.Tree;

namespace SharpSan.TargetCli.Shell;

/// <summary>
/// The targetcli-compatible shell: runs one command line at a time against the daemon's tree
/// (read, modify a copy, put back with the generation read), prints targetcli's messages, keeps the
/// current path, bookmarks and preferences. Terminal handling lives elsewhere (<see cref="ShellRunner"/>),
/// the commands in <see cref="CommandTable"/>'s handlers, completion in <see cref="TabCompleter"/>.
/// </summary>
public sealed class TargetCliShell
{
    public const string Version = "2.1.sharpsan-0.1";

    private readonly ShellOptions _options;
    private readonly CommandTable _commands;
    private readonly TabCompleter _completer;

    public TargetCliShell(IControlClient client, Prefs prefs, ShellOptions? options = null)
    {
        Client = client;
        Prefs = prefs;
        _options = options ?? new ShellOptions();
        _commands = new CommandTable(this);
        _completer = new TabCompleter(this, _commands);
    }

    public IControlClient Client { get; }
    public Prefs Prefs { get; }
    public string CurrentPath { get; private set; } = "/";
    public bool ExitRequested { get; private set; }

    /// <summary>Where the current path was before the last move ("cd -").</summary>
    internal string PreviousPath { get; private set; } = "/";

    internal ShellOptions Options => _options;
    internal bool UseColor => _options.IsTerminal && Prefs.GetBool("color_mode");

    /// <summary>configshell's prompt: the path, shortened in the middle beyond prompt_length.</summary>
    public string Prompt
    {
        get
        {
            var path = CurrentPath;
            var max = Prefs.GetInt("prompt_length");
            if (max > 0 && max < path.Length)
            {
                var half = (max - 3) / 2;
                path = $"{path[..half]}...{path[^half..]}";
            }
            return $"{path}> ";
        }
    }

    /// <summary>Runs one line; prints its output or its one-line error. False when it failed.</summary>
    public async Task<bool> RunLineAsync(string line, CancellationToken cancellationToken = default)
    {
        line = line.Trim();
        if (line.Length == 0 || line.StartsWith('#'))
            return true;
        Log($"> {line}");
        try
        {
            await ExecuteAsync(CommandLine.Parse(line), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is CliException or ControlException or ConfigException or IOException or UnauthorizedAccessException)
        {
            Error(ex.Message);
            return false;
        }
    }

    /// <summary>What exit does after the loop ends: saves when auto_save_on_exit is true.</summary>
    public async Task<bool> RunExitActionsAsync(CancellationToken cancellationToken = default)
    {
        if (!Prefs.GetBool("auto_save_on_exit"))
            return true;
        WriteLine("Global pref auto_save_on_exit=true");
        try
        {
            var snapshot = await Client.GetConfigAsync(cancellationToken).ConfigureAwait(false);
            foreach (var message in await _commands.Root.SaveAsync(snapshot, null, cancellationToken).ConfigureAwait(false))
                WriteLine(message);
            return true;
        }
        catch (Exception ex) when (ex is CliException or ControlException or ConfigException or IOException)
        {
            Error(ex.Message);
            return false;
        }
    }

    /// <summary>Completes the word under the cursor; never throws (no candidates instead).</summary>
    public Task<Completion> CompleteAsync(string line, int cursor) => _completer.CompleteAsync(line, cursor);

    /// <summary>exit: the loop stops after this line.</summary>
    internal void RequestExit() => ExitRequested = true;

    private async Task ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        var path = line.PathText;
        var command = line.CommandText;
        var iterall = path.EndsWith('*');
        if (iterall)
            path = path[..^1];
        if (path.Length == 0)
            path = ".";
        if (command.Length == 0)
        {
            if (line.Positional.Count > 0 || line.Keyword.Count > 0)
                throw new CliException($"Command not found {(line.Positional.Count > 0 ? line.Positional[0].Text : line.Keyword[0].Token.Text)}");
            if (!iterall)
            {
                await RunOnAsync(".", CommandLine.Parse($"cd {path}"), "cd", cancellationToken).ConfigureAwait(false);
                return;
            }
            command = "ls";
        }
        if (!iterall)
        {
            await RunOnAsync(path, line, command, cancellationToken).ConfigureAwait(false);
            return;
        }
        var (tree, _) = await LoadTreeAsync(cancellationToken).ConfigureAwait(false);
        var parent = ResolveFrom(tree, path);
        foreach (var childPath in parent.Children.Select(c => c.Path).ToList())
        {
            WriteLine($"[{childPath}]");
            await RunOnAsync(childPath, line, command, cancellationToken).ConfigureAwait(false);
        }
    }

    internal async Task<(TreeNode Tree, ConfigSnapshot Snapshot)> LoadTreeAsync(CancellationToken cancellationToken)
    {
        var snapshot = await Client.GetConfigAsync(cancellationToken).ConfigureAwait(false);
        return (TreeBuilder.Build(snapshot.Config, _options.SizeProbe), snapshot);
    }

    /// <summary>The current node in a freshly built tree (its nearest ancestor if it was deleted).</summary>
    internal TreeNode Current(TreeNode tree)
    {
        var node = tree.ResolveNearest(CurrentPath);
        CurrentPath = node.Path;
        return node;
    }

    internal TreeNode ResolveFrom(TreeNode tree, string path)
    {
        if (path.StartsWith('@'))
        {
            var name = path[1..].Trim();
            if (!Prefs.Bookmarks.TryGetValue(name, out var marked))
                throw new CliException($"No such bookmark {name}");
            path = marked;
        }
        return Current(tree).Resolve(path);
    }

    private async Task RunOnAsync(string path, CommandLine line, string command, CancellationToken cancellationToken)
    {
        TreeNode tree;
        ConfigSnapshot snapshot;
        try
        {
            (tree, snapshot) = await LoadTreeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ControlException ex) when (ex.Kind == ControlErrorKind.Unavailable && WorksOffline(line, command))
        {
            // exit, help, global preferences and bookmarks must work while sharpsand is down.
            snapshot = new ConfigSnapshot(new SanConfig(), -1, "");
            tree = TreeBuilder.Build(snapshot.Config, _options.SizeProbe);
        }
        var node = ResolveFrom(tree, path);
        var spec = _commands.For(node).FirstOrDefault(c => c.Name == command)
            ?? throw new CliException($"Command not found {command}");
        var (args, extraPos, extraKw) = spec.Bind(line);
        var context = new CommandContext
        {
            Shell = this, Snapshot = snapshot, Node = node, Args = args,
            ExtraPositional = extraPos, ExtraKeyword = extraKw,
        };
        await spec.Run(context).ConfigureAwait(false);
        foreach (var message in context.Messages)
            WriteLine(message);
        if (context.NewCurrentPath is { } next && next != CurrentPath)
        {
            PreviousPath = CurrentPath;
            CurrentPath = next;
        }
    }

    private static bool WorksOffline(CommandLine line, string command) => command switch
    {
        "exit" or "help" or "version" or "bookmarks" or "pwd" => true,
        "set" or "get" => line.Positional.Count > 0 && line.Positional[0].Text == "global",
        _ => false,
    };

    internal void WriteLine(string text)
    {
        _options.Out.WriteLine(text);
        Log(text);
    }

    internal void Error(string message)
    {
        var oneLine = message.ReplaceLineEndings(" ");
        _options.Err.WriteLine(UseColor ? Ansi.Style(oneLine, Ansi.Red) : oneLine);
        Log("Error: " + oneLine);
    }

    private void Log(string text)
    {
        var file = Prefs.Get("logfile");
        if (file.Length == 0)
            return;
        try { File.AppendAllText(file, $"{DateTime.Now:yyyy-MM-dd HH:mm:ss} {text}\n"); }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { /* logging never fails a command */ }
    }

    internal string FullPath(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
            path = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..];
        return Path.GetFullPath(path, _options.CurrentDirectory());
    }
}
