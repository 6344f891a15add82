using SharpSan.Config;

namespace SharpSan.TargetCli.Shell;

/// <summary>A TPG's luns: create (attaching a storage object, mapped into the ACLs by preference) and delete.</summary>
internal sealed class LunCommands(TargetCliShell shell)
{
    public async Task CreateAsync(CommandContext ctx)
    {
        var node = ctx.Node;
        var tpg = node.Tpg!;
        var addMapped = ctx.BoolArg("add_mapped_luns", shell.Prefs.GetBool("auto_add_mapped_luns"));
        var so = CommandArgs.StorageObject(shell, node, ctx.Arg("storage_object")!, "storage object or path not valid");
        if (tpg.Luns.Any(l => l.StorageObject == so.Path))
            throw new CliException($"lun for storage object {so.Plugin}/{so.Name} already exists");

        ulong index;
        ulong? requested = null;
        if (ctx.Arg("lun") is { Length: > 0 } lunText)
        {
            if (!CommandArgs.TryIndex(WithoutLunPrefix(lunText), out index) || index > 65535)
                throw new CliException("LUN must be 0 to 65535");
            if (tpg.Luns.Any(l => l.Index == index))
                throw new CliException("This LUN already exists in configFS");
            requested = index;
        }
        else
            index = LunAllocation.FirstFree(tpg.Luns.Select(l => l.Index));
        tpg.Luns.Add(new LunConfig { Index = index, StorageObject = so.Path });
        ctx.Info($"Created LUN {index}.");
        if (addMapped)
        {
            foreach (var acl in tpg.NodeAcls)
            {
                // The LUN's own number when given and free in the ACL, else the ACL's lowest free one.
                var mapped = LunAllocation.FirstFree(acl.MappedLuns.Select(m => m.Index), requested ?? 0);
                LunAllocation.Map(acl, mapped, index, writeProtect: false);
                ctx.Info($"Created LUN {index}->{mapped} mapping in node ACL {acl.NodeWwn}");
            }
        }
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.NewNode($"{node.Path}/lun{index}");
    }

    public static async Task DeleteAsync(CommandContext ctx)
    {
        var tpg = ctx.Node.Tpg!;
        var text = WithoutLunPrefix(ctx.Arg("lun")!);
        var lun = CommandArgs.TryIndex(text, out var index)
            ? tpg.Luns.FirstOrDefault(l => l.Index == index)
            : null;
        if (lun is null)
            throw new CliException("Invalid LUN");
        tpg.Luns.Remove(lun);
        // The kernel removes the mapped LUNs that point at a deleted LUN; so does the tree.
        foreach (var acl in tpg.NodeAcls)
            acl.MappedLuns.RemoveAll(m => m.TpgLun == index);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Deleted LUN {text}.");
    }

    /// <summary>"lun3" (any case) or "3" as the number's text.</summary>
    private static string WithoutLunPrefix(string text)
        => text.StartsWith("lun", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
}
