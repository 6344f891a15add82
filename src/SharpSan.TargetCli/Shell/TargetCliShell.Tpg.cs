using System.Globalization;
using SharpSan.Config;
using SharpSan.TargetCli.Tree;

namespace SharpSan.TargetCli.Shell;

// Inside a TPG: acls (and mapped LUNs), luns, portals.
public sealed partial class TargetCliShell
{
    private async Task CreateAclAsync(CommandContext ctx)
    {
        var tpg = ctx.Node.Tpg!;
        var wwn = ctx.Arg("wwn")!.Trim().ToLowerInvariant();
        var addMapped = ctx.BoolArg("add_mapped_luns", Prefs.GetBool("auto_add_mapped_luns"));
        if (IscsiName.Check(wwn) is { } problem)
            throw new CliException($"Invalid WWN: {problem}");
        if (tpg.NodeAcls.Any(a => string.Equals(a.NodeWwn, wwn, StringComparison.OrdinalIgnoreCase)))
            throw new CliException("This NodeACL already exists in configFS");
        var acl = new NodeAclConfig { NodeWwn = wwn };
        tpg.NodeAcls.Add(acl);
        var messages = new List<string> { $"Created Node ACL for {wwn}" };
        if (addMapped)
        {
            foreach (var lun in tpg.Luns.OrderBy(l => l.Index))
            {
                acl.MappedLuns.Add(new MappedLunConfig { Index = lun.Index, TpgLun = lun.Index, WriteProtect = false, Alias = NewAlias() });
                messages.Add($"Created mapped LUN {lun.Index}.");
            }
        }
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Messages.AddRange(messages);
        NewNode(ctx, $"{ctx.Node.Path}/{wwn}");
    }

    private async Task DeleteAclAsync(CommandContext ctx)
    {
        var tpg = ctx.Node.Tpg!;
        var wwn = ctx.Arg("wwn")!;
        var acl = tpg.NodeAcls.FirstOrDefault(a => string.Equals(a.NodeWwn, wwn, StringComparison.OrdinalIgnoreCase))
            ?? throw new CliException($"No such NodeACL: {wwn}");
        tpg.NodeAcls.Remove(acl);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Deleted Node ACL {wwn}.");
    }

    private Task AclInfoAsync(CommandContext ctx)
    {
        var acl = ctx.Node.Acl!;
        if (acl.ChapUserId.Length > 0) ctx.Info($"chap_userid: {acl.ChapUserId}");
        if (acl.ChapMutualUserId.Length > 0) ctx.Info($"chap_mutual_userid: {acl.ChapMutualUserId}");
        if (acl.Tag.Length > 0) ctx.Info($"tag: {acl.Tag}");
        ctx.Info("wwns:");
        ctx.Info(acl.NodeWwn);
        return Task.CompletedTask;
    }

    private async Task CreateMappedLunAsync(CommandContext ctx)
    {
        var node = ctx.Node;
        var tpg = node.Tpg!;
        var acl = node.Acl!;
        if (!ulong.TryParse(ctx.Arg("mapped_lun"), NumberStyles.None, CultureInfo.InvariantCulture, out var mappedLun))
            throw new CliException("mapped_lun must be an integer");
        var writeProtect = ParseWriteProtect(ctx.Arg("write_protect"));
        var source = ctx.Arg("tpg_lun_or_backstore")!;
        var messages = new List<string>();
        var lunText = source.StartsWith("lun", StringComparison.Ordinal) ? source[3..] : source;
        ulong tpgLun;
        if (ulong.TryParse(lunText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            tpgLun = parsed;
            if (tpg.Luns.All(l => l.Index != tpgLun))
                throw new CliException($"LUN {tpgLun} does not exist in this TPG");
        }
        else
        {
            TreeNode soNode;
            try { soNode = ResolveFrom(node.Root, source); }
            catch (CliException) { throw new CliException("LUN, storage object, or path not valid"); }
            if (soNode.Kind != NodeKind.StorageObject)
                throw new CliException("LUN, storage object, or path not valid");
            var so = soNode.StorageObject!;
            var existing = tpg.Luns.FirstOrDefault(l => l.StorageObject == so.Path);
            if (existing is not null)
                tpgLun = existing.Index;
            else
            {
                tpgLun = FirstFreeLun(tpg);
                tpg.Luns.Add(new LunConfig { Index = tpgLun, StorageObject = so.Path });
                messages.Add($"Created LUN {tpgLun}.");
            }
        }
        if (acl.MappedLuns.Any(m => m.TpgLun == tpgLun))
            messages.Add($"Warning: TPG LUN {tpgLun} already mapped to this NodeACL");
        if (acl.MappedLuns.Any(m => m.Index == mappedLun))
            throw new CliException("This MappedLUN already exists in configFS");
        acl.MappedLuns.Add(new MappedLunConfig { Index = mappedLun, TpgLun = tpgLun, WriteProtect = writeProtect, Alias = NewAlias() });
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Messages.AddRange(messages);
        ctx.Info($"Created Mapped LUN {mappedLun}.");
        NewNode(ctx, $"{node.Path}/mapped_lun{mappedLun}");
    }

    private static bool ParseWriteProtect(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "0" or "false" => false,
        "1" or "true" => true,
        _ => throw new CliException($"Syntax error, '{value}' is not 0|1."),
    };

    private async Task DeleteMappedLunAsync(CommandContext ctx)
    {
        var acl = ctx.Node.Acl!;
        var text = ctx.Arg("mapped_lun")!;
        var mlun = ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? acl.MappedLuns.FirstOrDefault(m => m.Index == index)
            : null;
        if (mlun is null)
            throw new CliException($"No such MappedLUN: {text}");
        acl.MappedLuns.Remove(mlun);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Deleted Mapped LUN {text}.");
    }

    private async Task CreateLunAsync(CommandContext ctx)
    {
        var node = ctx.Node;
        var tpg = node.Tpg!;
        var addMapped = ctx.BoolArg("add_mapped_luns", Prefs.GetBool("auto_add_mapped_luns"));
        TreeNode soNode;
        try { soNode = ResolveFrom(node.Root, ctx.Arg("storage_object")!); }
        catch (CliException) { throw new CliException("storage object or path not valid"); }
        if (soNode.Kind != NodeKind.StorageObject)
            throw new CliException("storage object or path not valid");
        var so = soNode.StorageObject!;
        if (tpg.Luns.Any(l => l.StorageObject == so.Path))
            throw new CliException($"lun for storage object {so.Plugin}/{so.Name} already exists");

        ulong index;
        ulong? requested = null;
        if (ctx.Arg("lun") is { Length: > 0 } lunText)
        {
            var digits = lunText.StartsWith("lun", StringComparison.OrdinalIgnoreCase) ? lunText[3..] : lunText;
            if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out index) || index > 65535)
                throw new CliException("LUN must be 0 to 65535");
            if (tpg.Luns.Any(l => l.Index == index))
                throw new CliException("This LUN already exists in configFS");
            requested = index;
        }
        else
            index = FirstFreeLun(tpg);
        tpg.Luns.Add(new LunConfig { Index = index, StorageObject = so.Path });
        var messages = new List<string> { $"Created LUN {index}." };
        if (addMapped)
        {
            foreach (var acl in tpg.NodeAcls)
            {
                var mapped = requested ?? 0;
                if (acl.MappedLuns.Any(m => m.Index == mapped))
                {
                    mapped = 0;
                    while (acl.MappedLuns.Any(m => m.Index == mapped))
                        mapped++;
                }
                acl.MappedLuns.Add(new MappedLunConfig { Index = mapped, TpgLun = index, WriteProtect = false, Alias = NewAlias() });
                messages.Add($"Created LUN {index}->{mapped} mapping in node ACL {acl.NodeWwn}");
            }
        }
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Messages.AddRange(messages);
        NewNode(ctx, $"{node.Path}/lun{index}");
    }

    private async Task DeleteLunAsync(CommandContext ctx)
    {
        var tpg = ctx.Node.Tpg!;
        var text = ctx.Arg("lun")!;
        if (text.StartsWith("lun", StringComparison.OrdinalIgnoreCase))
            text = text[3..];
        var lun = ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
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

    private async Task CreatePortalAsync(CommandContext ctx)
    {
        var tpg = ctx.Node.Tpg!;
        var port = ParsePort(ctx.Arg("ip_port"), DefaultPort);
        var ip = string.IsNullOrEmpty(ctx.Arg("ip_address")) ? DefaultPortalAddress : ctx.Arg("ip_address")!;
        var bare = ip.Trim('[', ']');
        var messages = new List<string>();
        if (port == DefaultPort)
            messages.Add($"Using default IP port {port}");
        if (bare is DefaultPortalAddress or "::0" or "::")
            messages.Add($"Binding to INADDR_ANY ({bare})");
        if (tpg.Portals.Any(p => p.IpAddress == bare && p.Port == port))
            throw new CliException("This NetworkPortal already exists in configFS");
        tpg.Portals.Add(new PortalConfig { IpAddress = bare, Port = port });
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Messages.AddRange(messages);
        ctx.Info($"Created network portal {ip}:{port}.");
        NewNode(ctx, $"{ctx.Node.Path}/{TreeBuilder.PortalName(tpg.Portals[^1])}");
    }

    private async Task DeletePortalAsync(CommandContext ctx)
    {
        var tpg = ctx.Node.Tpg!;
        var ip = ctx.Arg("ip_address")!;
        var portText = ctx.Arg("ip_port")!;
        var bare = ip.Trim('[', ']');
        var port = ParsePort(portText, DefaultPort);
        var portal = tpg.Portals.FirstOrDefault(p => p.IpAddress == bare && p.Port == port)
            ?? throw new CliException($"No such NetworkPortal: {TreeBuilder.PortalName(new PortalConfig { IpAddress = bare, Port = port })}");
        tpg.Portals.Remove(portal);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Deleted network portal {ip}:{portText}");
    }

    private static int ParsePort(string? text, int fallback)
    {
        if (string.IsNullOrEmpty(text))
            return fallback;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : throw new CliException($"Syntax error, '{text}' is not a NUMBER.");
    }

    private static ulong FirstFreeLun(TpgConfig tpg)
    {
        ulong index = 0;
        while (tpg.Luns.Any(l => l.Index == index))
            index++;
        return index;
    }

    /// <summary>LIO names a mapped LUN's configfs link with 10 random hex digits.</summary>
    private static string NewAlias() => Guid.NewGuid().ToString("N")[..10];
}
