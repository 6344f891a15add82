using SharpSan.Config;
using SharpSan.Control;
using SharpSan.Tgt.Tgtadm;
using SharpSan.Tgt.Tree;

namespace SharpSan.Tgt.Admin;

/// <summary>
/// One tgt-admin run: the working copy of the tree its tgtadm commands change, the sessions they
/// see, and its output. Each command is the very tgtadm command line scripts/tgt-admin would run
/// (printed with -v, only printed with -p), read by tgtadm's own parser and applied to the working
/// tree; nothing reaches the daemon until the whole run has succeeded. A failing command stops the
/// run with tgtadm's exit code and tgt-admin's "Command: ... exited with code: N." (unless
/// --ignore-errors or "ignore-errors yes").
/// </summary>
internal sealed class TgtAdminRun(TgtAdminOptions options, SanConfig working, IReadOnlyList<SessionInfo> sessions, TextWriter stdout, TextWriter stderr)
{
    public TgtAdminOptions Options { get; } = options;
    public TgtTree Tree { get; } = new(working);
    public IReadOnlyList<SessionInfo> Sessions { get; } = sessions;
    public TextWriter Stdout { get; } = stdout;
    public bool IgnoreErrors { get; set; } = options.IgnoreErrors;

    /// <summary>"tgtadm -C PORT", the start of every command tgt-admin runs.</summary>
    public string Tgtadm => $"tgtadm -C {Options.ControlPort}";

    /// <summary>tgt-admin's execute("# ...") and execute(): printed with -v or -p, never run.</summary>
    public void Comment(string text = "")
    {
        if (Options.Pretend || Options.Verbose) Stdout.Write(text + "\n");
    }

    /// <summary>tgt-admin's execute("tgtadm ..."), on the working tree.</summary>
    public void Run(string command)
    {
        if (Options.Pretend)
        {
            Stdout.Write(command + "\n");
            return;
        }
        if (Options.Verbose) Stdout.Write(command + "\n");
        var words = ShellWords.Split(command);
        var request = TgtadmCommandLine.Parse(words.Skip(1).ToList(), out var exit);
        if (request is null)
        {
            Stdout.Write(exit!.Stdout);
            stderr.Write(exit.Stderr);
            if (exit.ExitCode != 0) Failed(command, exit.ExitCode);
            return;
        }
        try
        {
            if (request.Lld.Length > 0 && request.Lld != "iscsi")
                throw new TgtadmException(TgtadmError.NoDriver);
            var change = TgtadmOperations.Change(request) ?? throw new TgtadmException(TgtadmError.InvalidRequest);
            change(Tree, Sessions);
        }
        catch (TgtadmException ex)
        {
            stderr.Write($"tgtadm: {ex.Message}\n");
            Failed(command, TgtadmOutcome.Einval);
        }
    }

    /// <summary>A target's I_T nexuses, as tgt-admin finds them ("Connection:" in its show).</summary>
    public bool Connected(string name)
        => Sessions.Any(s => s.SessionType != "Discovery" && string.Equals(s.TargetName, name, StringComparison.OrdinalIgnoreCase));

    private void Failed(string command, int code)
    {
        if (IgnoreErrors) return;
        Stdout.Write($"Command:\n\t{command}\nexited with code: {code}.\n");
        throw new TgtAdminExit(code);
    }
}
