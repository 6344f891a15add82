using System.Runtime.InteropServices;
using SharpSan.Config;

namespace SharpSan.TargetCli.Shell;

/// <summary>/iscsi (targets), a target (its TPGs), a TPG's enable/disable/info, and /loopback.</summary>
internal sealed class IscsiCommands(TargetCliShell shell)
{
    public async Task CreateTargetAsync(CommandContext ctx)
    {
        var wwn = ctx.Arg("wwn") is { Length: > 0 } given ? given.Trim().ToLowerInvariant() : GenerateIqn();
        if (IscsiName.Check(wwn) is { } problem)
            throw new CliException($"Invalid WWN: {problem}");
        if (ctx.Config.Targets.Any(t => string.Equals(t.Wwn, wwn, StringComparison.OrdinalIgnoreCase)))
            throw new CliException("This Target already exists in configFS");
        var target = new TargetConfig { Wwn = wwn };
        ctx.Config.Targets.Add(target);
        ctx.Info($"Created target {wwn}.");
        AddTpg(ctx, target, 1);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.NewNode($"/iscsi/{wwn}/tpg1");
    }

    /// <summary>Adds TPG <paramref name="tag"/> with LIO's defaults and, by preference, the default portal.</summary>
    private void AddTpg(CommandContext ctx, TargetConfig target, ushort tag)
    {
        var tpg = TpgDefaults.Create(tag, shell.Prefs.GetBool("auto_enable_tpgt"));
        target.Tpgs.Add(tpg);
        ctx.Info($"Created TPG {tag}.");
        if (shell.Prefs.GetBool("auto_add_default_portal"))
        {
            const string address = TpgDefaults.DefaultPortalAddress;
            const int port = TpgDefaults.DefaultPort;
            var taken = target.Tpgs.Any(g => g != tpg && g.Portals.Any(p => p.IpAddress == address && p.Port == port));
            if (taken)
                ctx.Info("Default portal not created, TPGs within a target cannot share ip:port.");
            else
            {
                tpg.Portals.Add(new PortalConfig { IpAddress = address, Port = port });
                ctx.Info("Global pref auto_add_default_portal=true");
                ctx.Info($"Created default portal listening on all IPs ({address}), port {port}.");
            }
        }
    }

    /// <summary>rtslib's generated IQN: iqn.2003-01.org.linux-iscsi.HOST.ARCH:sn.12HEX.</summary>
    private string GenerateIqn()
    {
        var host = shell.Options.HostName().Split('.')[0].Replace("_", "", StringComparison.Ordinal);
        var arch = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => "x86_64",
            Architecture.Arm64 => "aarch64",
            Architecture.X86 => "i686",
            Architecture.Arm => "armv7l",
            var other => other.ToString(),
        };
        var prefix = $"iqn.2003-01.org.linux-iscsi.{host}.{arch.Replace("_", "", StringComparison.Ordinal)}".ToLowerInvariant();
        return $"{prefix}:sn.{Guid.NewGuid().ToString()[24..]}";
    }

    public static async Task DeleteTargetAsync(CommandContext ctx)
    {
        var wwn = ctx.Arg("wwn")!;
        var target = ctx.Config.Targets.FirstOrDefault(t => string.Equals(t.Wwn, wwn, StringComparison.OrdinalIgnoreCase))
            ?? throw new CliException($"No such Target: {wwn}");
        ctx.Config.Targets.Remove(target);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Deleted Target {wwn}.");
    }

    public static Task InfoAsync(CommandContext ctx)
    {
        ctx.Info("Fabric module name: iscsi");
        ctx.Info("Served by: sharpsand (SharpSAN user-space target)");
        ctx.Info("Allowed WWN types: iqn, naa, eui");
        ctx.Info("Fabric module features: discovery_auth, acls, auth, nps, tpgts");
        return Task.CompletedTask;
    }

    public static Task LoopbackAsync(CommandContext ctx)
        => throw new CliException("The loopback fabric is not supported by SharpSAN (iSCSI only).");

    public async Task CreateTpgAsync(CommandContext ctx)
    {
        var target = ctx.Node.Target!;
        ushort tag;
        if (ctx.Arg("tag") is { Length: > 0 } text)
        {
            tag = ParseTag(text);
            if (tag == 0)
                throw new CliException("The TPG Tag must be >=0");
            if (target.Tpgs.Any(g => g.Tag == tag))
                throw new CliException("This TPG already exists in configFS");
        }
        else
        {
            tag = 1;
            while (target.Tpgs.Any(g => g.Tag == tag))
                tag++;
        }
        AddTpg(ctx, target, tag);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.NewNode($"/iscsi/{target.Wwn}/tpg{tag}");
    }

    public static async Task DeleteTpgAsync(CommandContext ctx)
    {
        var target = ctx.Node.Target!;
        var tag = ParseTag(ctx.Arg("tag")!);
        var tpg = target.Tpgs.FirstOrDefault(g => g.Tag == tag) ?? throw new CliException($"No such TPG: tpg{tag}");
        target.Tpgs.Remove(tpg);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Deleted TPGT {tag}.");
    }

    /// <summary>A TPG tag as given to create and delete: "2" or its node name "tpg2".</summary>
    private static ushort ParseTag(string text)
        => ushort.TryParse(text.StartsWith("tpg", StringComparison.Ordinal) ? text[3..] : text, out var tag)
            ? tag
            : throw new CliException("Tag argument must be a number.");

    public static async Task EnableTpgAsync(CommandContext ctx, bool enable)
    {
        var tpg = ctx.Node.Tpg!;
        if (tpg.Enable == enable)
        {
            ctx.Info(enable ? "The TPGT is already enabled." : "The TPGT is already disabled.");
            return;
        }
        tpg.Enable = enable;
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info(enable ? "The TPGT has been enabled." : "The TPGT has been disabled.");
    }

    public static Task TpgInfoAsync(CommandContext ctx)
    {
        var tpg = ctx.Node.Tpg!;
        ctx.Info($"enable: {(tpg.Enable ? "True" : "False")}");
        ctx.Info($"tag: {tpg.Tag}");
        return Task.CompletedTask;
    }
}
