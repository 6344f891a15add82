using System.Globalization;
using System.Text;
using SharpSan.TargetCli.Tree;

namespace SharpSan.TargetCli.Shell;

/// <summary>Commands every node has: ls, cd, pwd, status, help, bookmarks, exit (set and get are
/// <see cref="ConfigGroupCommands"/>).</summary>
internal sealed class GeneralCommands(TargetCliShell shell, CommandTable commands)
{
    private Prefs Prefs => shell.Prefs;

    public Task LsAsync(CommandContext ctx)
    {
        var target = ctx.Arg("path") is { } path ? shell.ResolveFrom(ctx.Node.Root, path) : ctx.Node;
        var depthText = ctx.Arg("depth");
        int depth;
        if (depthText is null)
            depth = Prefs.GetInt("tree_max_depth");
        else if (!int.TryParse(depthText, NumberStyles.Integer, CultureInfo.InvariantCulture, out depth))
            throw new CliException("The tree depth must be a number.");
        ctx.Info(Renderer().Render(target, depth));
        return Task.CompletedTask;
    }

    private TreeRenderer Renderer() => new()
    {
        Width = shell.Options.IsTerminal ? Math.Max(20, shell.Options.Width()) : 80,
        Color = shell.UseColor,
        RoundNodes = Prefs.GetBool("tree_round_nodes"),
        StatusMode = Prefs.GetBool("tree_status_mode"),
        ShowRoot = Prefs.GetBool("tree_show_root"),
    };

    public Task CdAsync(CommandContext ctx)
    {
        var path = ctx.Arg("path");
        if (path is null)
            throw new CliException("cd needs a path (the interactive tree walker is not supported)");
        if (path == "-")
        {
            ctx.NewCurrentPath = ctx.Node.Root.ResolveNearest(shell.PreviousPath).Path;
            return Task.CompletedTask;
        }
        ctx.NewCurrentPath = shell.ResolveFrom(ctx.Node.Root, path).Path;
        return Task.CompletedTask;
    }

    public Task PwdAsync(CommandContext ctx)
    {
        ctx.Info(ctx.Node.Path);
        return Task.CompletedTask;
    }

    public Task StatusAsync(CommandContext ctx)
    {
        ctx.Info($"Status for {ctx.Node.Path}: {ctx.Node.Summary}");
        return Task.CompletedTask;
    }

    public Task ExitAsync(CommandContext ctx)
    {
        shell.RequestExit();
        return Task.CompletedTask;
    }

    public Task HelpAsync(CommandContext ctx)
    {
        var available = commands.For(ctx.Node);
        var topic = ctx.Arg("topic");
        var text = new StringBuilder();
        if (topic is null)
        {
            text.AppendLine("GENERALITIES").AppendLine("============")
                .AppendLine("This is a shell in which you can create, delete and configure configuration")
                .AppendLine("objects of SharpSAN, the way targetcli does for LIO. Every change is sent to")
                .AppendLine("sharpsand, which validates it and applies it live.").AppendLine()
                .AppendLine("AVAILABLE COMMANDS").AppendLine("==================")
                .AppendLine("The following commands are available in the").AppendLine("current path:").AppendLine();
            foreach (var c in available)
                text.AppendLine($"  - {c.Syntax}");
        }
        else
        {
            var spec = available.FirstOrDefault(c => c.Name == topic) ?? throw new CliException($"Cannot find help topic {topic}.");
            text.AppendLine("SYNTAX").AppendLine("======").AppendLine(spec.Syntax).AppendLine()
                .AppendLine("DESCRIPTION").AppendLine("===========").AppendLine(spec.Description);
        }
        ctx.Info(text.ToString().TrimEnd('\n', '\r'));
        return Task.CompletedTask;
    }

    public Task BookmarksAsync(CommandContext ctx)
    {
        var action = ctx.Arg("action");
        var name = ctx.Arg("bookmark");
        switch (action)
        {
            case "add" when name is not null:
                if (Prefs.Bookmarks.ContainsKey(name))
                    throw new CliException($"Bookmark {name} already exists.");
                Prefs.Bookmarks[name] = ctx.Node.Path;
                Prefs.Save();
                ctx.Info($"Bookmarked {ctx.Node.Path} as {name}.");
                break;
            case "del" when name is not null:
                if (!Prefs.Bookmarks.Remove(name))
                    throw new CliException($"No such bookmark {name}.");
                Prefs.Save();
                ctx.Info($"Deleted bookmark {name}.");
                break;
            case "go" when name is not null:
                if (!Prefs.Bookmarks.TryGetValue(name, out var path))
                    throw new CliException($"No such bookmark {name}.");
                ctx.NewCurrentPath = ctx.Node.Root.Resolve(path).Path;
                break;
            case "show":
                ctx.Info("BOOKMARKS");
                ctx.Info("=========");
                if (Prefs.Bookmarks.Count == 0)
                    ctx.Info("No bookmarks yet.");
                foreach (var (mark, markPath) in Prefs.Bookmarks)
                {
                    ctx.Info(mark);
                    ctx.Info(new string('-', mark.Length));
                    ctx.Info(markPath);
                    ctx.Info("");
                }
                break;
            default:
                throw new CliException("Syntax error, see 'help bookmarks'.");
        }
        return Task.CompletedTask;
    }
}
