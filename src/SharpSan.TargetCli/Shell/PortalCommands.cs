using System.Globalization;
using SharpSan.Config;
using SharpSan.TargetCli.Tree;

namespace SharpSan.TargetCli.Shell;

/// <summary>A TPG's portals: create and delete network portals.</summary>
internal static class PortalCommands
{
    public static async Task CreateAsync(CommandContext ctx)
    {
        var tpg = ctx.Node.Tpg!;
        var port = ParsePort(ctx.Arg("ip_port"));
        var ip = string.IsNullOrEmpty(ctx.Arg("ip_address")) ? TpgDefaults.DefaultPortalAddress : ctx.Arg("ip_address")!;
        var bare = ip.Trim('[', ']');
        if (port == TpgDefaults.DefaultPort)
            ctx.Info($"Using default IP port {port}");
        if (bare is TpgDefaults.DefaultPortalAddress or "::0" or "::")
            ctx.Info($"Binding to INADDR_ANY ({bare})");
        if (tpg.Portals.Any(p => p.IpAddress == bare && p.Port == port))
            throw new CliException("This NetworkPortal already exists in configFS");
        tpg.Portals.Add(new PortalConfig { IpAddress = bare, Port = port });
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Created network portal {ip}:{port}.");
        ctx.NewNode($"{ctx.Node.Path}/{TreeBuilder.PortalName(tpg.Portals[^1])}");
    }

    public static async Task DeleteAsync(CommandContext ctx)
    {
        var tpg = ctx.Node.Tpg!;
        var ip = ctx.Arg("ip_address")!;
        var portText = ctx.Arg("ip_port")!;
        var bare = ip.Trim('[', ']');
        var port = ParsePort(portText);
        var portal = tpg.Portals.FirstOrDefault(p => p.IpAddress == bare && p.Port == port)
            ?? throw new CliException($"No such NetworkPortal: {TreeBuilder.PortalName(new PortalConfig { IpAddress = bare, Port = port })}");
        tpg.Portals.Remove(portal);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Deleted network portal {ip}:{portText}");
    }

    /// <summary>The port given, else iSCSI's.</summary>
    private static int ParsePort(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return TpgDefaults.DefaultPort;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : throw new CliException($"Syntax error, '{text}' is not a NUMBER.");
    }
}
