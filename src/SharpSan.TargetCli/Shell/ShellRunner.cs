using SharpSan.TargetCli.Editing;

namespace SharpSan.TargetCli.Shell;

/// <summary>The three ways targetcli runs: one command from the arguments, commands read from a
/// non-terminal standard input, or the interactive shell with its line editor.</summary>
public sealed class ShellRunner(TargetCliShell shell)
{
    public static IReadOnlyList<string> Banner =>
    [
        $"targetcli shell version {TargetCliShell.Version}",
        "SharpSAN targetcli-compatible shell (targetcli: Datera, Inc and others).",
        "For help on commands, type 'help'.",
        "",
    ];

    /// <summary>One command, no auto-save (as targetcli): 0 when it succeeded, 1 when it failed.</summary>
    public async Task<int> RunCommandAsync(string command, CancellationToken cancellationToken = default)
        => await shell.RunLineAsync(command, cancellationToken).ConfigureAwait(false) ? 0 : 1;

    /// <summary>Commands one per line until EOF or exit; every error is printed and the run goes on.
    /// Exit actions (auto_save_on_exit) run at the end. 1 when any command failed.</summary>
    public async Task<int> RunScriptAsync(TextReader input, CancellationToken cancellationToken = default)
    {
        var failed = false;
        while (!shell.ExitRequested && await input.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            failed |= !await shell.RunLineAsync(line, cancellationToken).ConfigureAwait(false);
        failed |= !await shell.RunExitActionsAsync(cancellationToken).ConfigureAwait(false);
        return failed ? 1 : 0;
    }

    /// <summary>The interactive shell: banner, prompt, line editor with history and completion.</summary>
    public async Task<int> RunInteractiveAsync(LineEditor editor, TextWriter output, CancellationToken cancellationToken = default)
    {
        foreach (var line in Banner)
            output.WriteLine(line);
        while (!shell.ExitRequested)
        {
            var line = editor.ReadLine(shell.Prompt, (text, cursor) => shell.CompleteAsync(text, cursor).GetAwaiter().GetResult());
            if (line is null)
            {
                output.WriteLine("exit");
                break;
            }
            await shell.RunLineAsync(line, cancellationToken).ConfigureAwait(false);
        }
        return await shell.RunExitActionsAsync(cancellationToken).ConfigureAwait(false) ? 0 : 1;
    }
}
