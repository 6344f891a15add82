using SharpSan.TargetCli.Tree;

namespace SharpSan.TargetCli.Shell;

/// <summary>set and get: the configuration groups of <see cref="ConfigGroups"/>, listed, described,
/// read and written.</summary>
internal static class ConfigGroupCommands
{
    public static async Task SetAsync(CommandContext ctx)
    {
        var node = ctx.Node;
        if (SelectGroup(ctx) is not { } selected)
            return;
        var (group, defs) = selected;
        if (ctx.ExtraKeyword.Count == 0)
        {
            Describe(ctx, group, defs.Where(p => p.Writable).Select(p => ($"{p.Name}={p.Type}", p.Description)));
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

    public static Task GetAsync(CommandContext ctx)
    {
        var node = ctx.Node;
        if (SelectGroup(ctx) is not { } selected)
            return Task.CompletedTask;
        var (group, defs) = selected;
        if (ctx.ExtraPositional.Count == 0)
        {
            Describe(ctx, group, defs.Select(p => ($"{p.Name}={ConfigGroups.Get(ctx, node, group, p.Name)}{(p.Writable ? "" : " [ro]")}", p.Description)));
            return Task.CompletedTask;
        }
        foreach (var name in ctx.ExtraPositional)
        {
            var def = defs.FirstOrDefault(p => p.Name == name) ?? throw new CliException($"No parameter '{name}' in group '{group}'.");
            ctx.Info($"{name}={ConfigGroups.Get(ctx, node, group, name)} {(def.Writable ? "" : "[ro]")}");
        }
        return Task.CompletedTask;
    }

    /// <summary>The group argument and its parameters; without one, lists the node's groups and
    /// returns null.</summary>
    private static (string Group, List<GroupParam> Defs)? SelectGroup(CommandContext ctx)
    {
        var group = ctx.Arg("group");
        var groups = ConfigGroups.For(ctx.Node);
        if (group is null)
        {
            ctx.Info("AVAILABLE CONFIGURATION GROUPS");
            ctx.Info("==============================");
            ctx.Info(string.Join(' ', groups));
            return null;
        }
        if (!groups.Contains(group))
            throw new CliException($"Unknown configuration group: {group}");
        return (group, ConfigGroups.Params(ctx.Node, group));
    }

    /// <summary>A group's page: a heading, then each parameter's head line, underline and description.</summary>
    private static void Describe(CommandContext ctx, string group, IEnumerable<(string Head, string Description)> entries)
    {
        ctx.Info($"{group.ToUpperInvariant()} CONFIG GROUP");
        ctx.Info(new string('=', group.Length + 13));
        foreach (var (head, description) in entries)
        {
            ctx.Info(head);
            ctx.Info(new string('-', head.Length));
            ctx.Info(description);
            ctx.Info("");
        }
    }
}
