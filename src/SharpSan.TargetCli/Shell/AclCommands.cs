using SharpSan.Config;

namespace SharpSan.TargetCli.Shell;

/// <summary>A TPG's acls (create, delete) and an ACL's mapped LUNs (create, delete) and info.</summary>
internal sealed class AclCommands(TargetCliShell shell)
{
    public async Task CreateAclAsync(CommandContext ctx)
    {
        var tpg = ctx.Node.Tpg!;
        var wwn = ctx.Arg("wwn")!.Trim().ToLowerInvariant();
        var addMapped = ctx.BoolArg("add_mapped_luns", shell.Prefs.GetBool("auto_add_mapped_luns"));
        if (IscsiName.Check(wwn) is { } problem)
            throw new CliException($"Invalid WWN: {problem}");
        if (tpg.NodeAcls.Any(a => string.Equals(a.NodeWwn, wwn, StringComparison.OrdinalIgnoreCase)))
            throw new CliException("This NodeACL already exists in configFS");
        var acl = new NodeAclConfig { NodeWwn = wwn };
        tpg.NodeAcls.Add(acl);
        ctx.Info($"Created Node ACL for {wwn}");
        if (addMapped)
        {
            foreach (var lun in tpg.Luns.OrderBy(l => l.Index))
            {
                LunAllocation.Map(acl, lun.Index, lun.Index, writeProtect: false);
                ctx.Info($"Created mapped LUN {lun.Index}.");
            }
        }
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.NewNode($"{ctx.Node.Path}/{wwn}");
    }

    public static async Task DeleteAclAsync(CommandContext ctx)
    {
        var tpg = ctx.Node.Tpg!;
        var wwn = ctx.Arg("wwn")!;
        var acl = tpg.NodeAcls.FirstOrDefault(a => string.Equals(a.NodeWwn, wwn, StringComparison.OrdinalIgnoreCase))
            ?? throw new CliException($"No such NodeACL: {wwn}");
        tpg.NodeAcls.Remove(acl);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Deleted Node ACL {wwn}.");
    }

    public static Task InfoAsync(CommandContext ctx)
    {
        var acl = ctx.Node.Acl!;
        if (acl.ChapUserId.Length > 0) ctx.Info($"chap_userid: {acl.ChapUserId}");
        if (acl.ChapMutualUserId.Length > 0) ctx.Info($"chap_mutual_userid: {acl.ChapMutualUserId}");
        if (acl.Tag.Length > 0) ctx.Info($"tag: {acl.Tag}");
        ctx.Info("wwns:");
        ctx.Info(acl.NodeWwn);
        return Task.CompletedTask;
    }

    /// <summary>Maps a TPG LUN (its number or "lunN") or a storage object, whose TPG LUN is created
    /// first when the TPG has none.</summary>
    public async Task CreateMappedLunAsync(CommandContext ctx)
    {
        var node = ctx.Node;
        var tpg = node.Tpg!;
        var acl = node.Acl!;
        if (!CommandArgs.TryIndex(ctx.Arg("mapped_lun"), out var mappedLun))
            throw new CliException("mapped_lun must be an integer");
        var writeProtect = ParseWriteProtect(ctx.Arg("write_protect"));
        var source = ctx.Arg("tpg_lun_or_backstore")!;
        var lunText = source.StartsWith("lun", StringComparison.Ordinal) ? source[3..] : source;
        ulong tpgLun;
        if (CommandArgs.TryIndex(lunText, out var parsed))
        {
            tpgLun = parsed;
            if (tpg.Luns.All(l => l.Index != tpgLun))
                throw new CliException($"LUN {tpgLun} does not exist in this TPG");
        }
        else
        {
            var so = CommandArgs.StorageObject(shell, node, source, "LUN, storage object, or path not valid");
            var existing = tpg.Luns.FirstOrDefault(l => l.StorageObject == so.Path);
            if (existing is not null)
                tpgLun = existing.Index;
            else
            {
                tpgLun = LunAllocation.FirstFree(tpg.Luns.Select(l => l.Index));
                tpg.Luns.Add(new LunConfig { Index = tpgLun, StorageObject = so.Path });
                ctx.Info($"Created LUN {tpgLun}.");
            }
        }
        if (acl.MappedLuns.Any(m => m.TpgLun == tpgLun))
            ctx.Info($"Warning: TPG LUN {tpgLun} already mapped to this NodeACL");
        if (acl.MappedLuns.Any(m => m.Index == mappedLun))
            throw new CliException("This MappedLUN already exists in configFS");
        LunAllocation.Map(acl, mappedLun, tpgLun, writeProtect);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Created Mapped LUN {mappedLun}.");
        ctx.NewNode($"{node.Path}/mapped_lun{mappedLun}");
    }

    private static bool ParseWriteProtect(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "0" or "false" => false,
        "1" or "true" => true,
        _ => throw new CliException($"Syntax error, '{value}' is not 0|1."),
    };

    public static async Task DeleteMappedLunAsync(CommandContext ctx)
    {
        var acl = ctx.Node.Acl!;
        var text = ctx.Arg("mapped_lun")!;
        var mlun = CommandArgs.TryIndex(text, out var index)
            ? acl.MappedLuns.FirstOrDefault(m => m.Index == index)
            : null;
        if (mlun is null)
            throw new CliException($"No such MappedLUN: {text}");
        acl.MappedLuns.Remove(mlun);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Deleted Mapped LUN {text}.");
    }
}
