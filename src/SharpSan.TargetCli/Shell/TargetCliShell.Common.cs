using System.Globalization;
using System.Text;
using SharpSan.TargetCli.Tree;

namespace SharpSan.TargetCli.Shell;

// Commands every node has: ls, cd, pwd, help, bookmarks, status, set, get, exit.
public sealed partial class TargetCliShell
{
    private Task LsAsync(CommandContext ctx)
    {
        var target = ctx.Arg("path") is { } path ? ResolveFrom(ctx.Node.Root, path) : ctx.Node;
        var depthText = ctx.Arg("depth");
        int depth;
        if (depthText is null)
            depth = Prefs.GetInt("tree_max_depth");
        else if (!int.TryParse(depthText, NumberStyles.Integer, CultureInfo.InvariantCulture, out depth))
            throw new CliException("The tree depth must be a number.");
        ctx.Info(Renderer().Render(target, depth));
        return Task.CompletedTask;
    }

    internal TreeRenderer Renderer() => new()
    {
        Width = _options.IsTerminal ? Math.Max(20, _options.Width()) : 80,
        Color = UseColor,
        RoundNodes = Prefs.GetBool("tree_round_nodes"),
        StatusMode = Prefs.GetBool("tree_status_mode"),
        ShowRoot = Prefs.GetBool("tree_show_root"),
    };

    private Task CdAsync(CommandContext ctx)
    {
        var path = ctx.Arg("path");
        if (path is null)
            throw new CliException("cd needs a path (the interactive tree walker is not supported)");
        if (path == "-")
        {
            ctx.NewCurrentPath = ctx.Node.Root.ResolveNearest(_previousPath).Path;
            return Task.CompletedTask;
        }
        ctx.NewCurrentPath = ResolveFrom(ctx.Node.Root, path).Path;
        return Task.CompletedTask;
    }

    private Task PwdAsync(CommandContext ctx)
    {
        ctx.Info(ctx.Node.Path);
        return Task.CompletedTask;
    }

    private Task StatusAsync(CommandContext ctx)
    {
        ctx.Info($"Status for {ctx.Node.Path}: {ctx.Node.Summary}");
        return Task.CompletedTask;
    }

    private Task ExitAsync(CommandContext ctx)
    {
        ExitRequested = true;
        return Task.CompletedTask;
    }

    private Task HelpAsync(CommandContext ctx)
    {
        var commands = Commands(ctx.Node);
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
            foreach (var c in commands)
                text.AppendLine($"  - {c.Syntax}");
        }
        else
        {
            var spec = commands.FirstOrDefault(c => c.Name == topic) ?? throw new CliException($"Cannot find help topic {topic}.");
            text.AppendLine("SYNTAX").AppendLine("======").AppendLine(spec.Syntax).AppendLine()
                .AppendLine("DESCRIPTION").AppendLine("===========").AppendLine(spec.Description);
        }
        ctx.Info(text.ToString().TrimEnd('\n', '\r'));
        return Task.CompletedTask;
    }

    private Task BookmarksAsync(CommandContext ctx)
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

    private async Task SetAsync(CommandContext ctx)
    {
        var node = ctx.Node;
        var group = ctx.Arg("group");
        var groups = ConfigGroups.For(node);
        if (group is null)
        {
            ListGroups(ctx, groups);
            return;
        }
        if (!groups.Contains(group))
            throw new CliException($"Unknown configuration group: {group}");
        var defs = ConfigGroups.Params(node, group);
        if (ctx.ExtraKeyword.Count == 0)
        {
            ctx.Info($"{group.ToUpperInvariant()} CONFIG GROUP");
            ctx.Info(new string('=', group.Length + 13));
            foreach (var p in defs.Where(p => p.Writable))
            {
                var head = $"{p.Name}={p.Type}";
                ctx.Info(head);
                ctx.Info(new string('-', head.Length));
                ctx.Info(p.Description);
                ctx.Info("");
            }
            return;
        }
        var applied = new List<string>();
        foreach (var (key, value) in ctx.ExtraKeyword)
        {
            var def = defs.FirstOrDefault(p => p.Name == key) ?? throw new CliException($"Unknown parameter {key} in group '{group}'.");
            if (!def.Writable)
                throw new CliException($"Parameter {key} is read-only.");
            ConfigGroups.Set(ctx, node, group, def, value);
            applied.Add(key);
        }
        if (group != "global")
            await ctx.CommitAsync().ConfigureAwait(false);
        foreach (var key in applied)
            ctx.Info($"Parameter {key} is now '{ConfigGroups.Get(ctx, node, group, key)}'.");
        if (node.Kind == NodeKind.Tpg && group == "attribute" && node.Tpg!.GenerateNodeAcls && node.Tpg.DemoModeWriteProtect
            && applied.Any(k => k is "generate_node_acls" or "demo_mode_write_protect"))
        {
            ctx.Info("Warning: generate_node_acls=1 with demo_mode_write_protect=1: initiators without an ACL (demo mode) see every LUN read-only; set demo_mode_write_protect=0 to let them write.");
        }
    }

    private Task GetAsync(CommandContext ctx)
    {
        var node = ctx.Node;
        var group = ctx.Arg("group");
        var groups = ConfigGroups.For(node);
        if (group is null)
        {
            ListGroups(ctx, groups);
            return Task.CompletedTask;
        }
        if (!groups.Contains(group))
            throw new CliException($"Unknown configuration group: {group}");
        var defs = ConfigGroups.Params(node, group);
        if (ctx.ExtraPositional.Count == 0)
        {
            ctx.Info($"{group.ToUpperInvariant()} CONFIG GROUP");
            ctx.Info(new string('=', group.Length + 13));
            foreach (var p in defs)
            {
                var head = $"{p.Name}={ConfigGroups.Get(ctx, node, group, p.Name)}{(p.Writable ? "" : " [ro]")}";
                ctx.Info(head);
                ctx.Info(new string('-', head.Length));
                ctx.Info(p.Description);
                ctx.Info("");
            }
            return Task.CompletedTask;
        }
        foreach (var name in ctx.ExtraPositional)
        {
            var def = defs.FirstOrDefault(p => p.Name == name) ?? throw new CliException($"No parameter '{name}' in group '{group}'.");
            ctx.Info($"{name}={ConfigGroups.Get(ctx, node, group, name)} {(def.Writable ? "" : "[ro]")}");
        }
        return Task.CompletedTask;
    }

    private static void ListGroups(CommandContext ctx, List<string> groups)
    {
        ctx.Info("AVAILABLE CONFIGURATION GROUPS");
        ctx.Info("==============================");
        ctx.Info(string.Join(' ', groups));
    }

    /// <summary>targetcli's new_node: honours auto_cd_after_create.</summary>
    private void NewNode(CommandContext ctx, string path)
    {
        if (!Prefs.GetBool("auto_cd_after_create"))
            return;
        ctx.Info($"Entering new node {path}");
        ctx.NewCurrentPath = path;
    }
}
