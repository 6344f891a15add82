using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SharpSan.TargetCli.Shell;

/// <summary>The root's sessions command: the daemon's open sessions, as targetcli lists them.</summary>
internal static class SessionsCommand
{
    public static async Task RunAsync(CommandContext ctx)
    {
        var action = ctx.Arg("action") ?? "list";
        var sidText = ctx.Arg("sid");
        if (action is not ("list" or "detail"))
            throw new CliException("action must be one of: list, detail");
        int? sid = null;
        if (sidText is not null)
        {
            if (!int.TryParse(sidText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s))
                throw new CliException($"sid must be a number, '{sidText}' given");
            sid = s;
        }
        var sessions = await ctx.Client.GetSessionsAsync().ConfigureAwait(false);
        var printed = sid is null ? sessions.ToList() : sessions.Where(x => x.Tsih == sid).ToList();
        if (printed.Count == 0)
        {
            if (sid is not null)
                throw new CliException($"no session found with sid {sid}");
            ctx.Info("(no open sessions)");
            return;
        }
        foreach (var session in printed)
        {
            ctx.Info($"alias: {session.InitiatorAlias}\tsid: {session.Tsih} type: {session.SessionType} session-state: {session.State}");
            if (action != "detail")
                continue;
            var acl = ctx.Config.Targets.FirstOrDefault(t => string.Equals(t.Wwn, session.TargetName, StringComparison.OrdinalIgnoreCase))?
                .Tpgs.FirstOrDefault(g => g.Tag == session.Tpg)?
                .NodeAcls.FirstOrDefault(a => string.Equals(a.NodeWwn, session.InitiatorName, StringComparison.OrdinalIgnoreCase));
            var authenticated = acl is not null && acl.ChapMutualUserId.Length > 0 && acl.ChapMutualPassword.Length > 0;
            ctx.Info($"    name: {session.InitiatorName}{(authenticated ? " (authenticated)" : " (NOT AUTHENTICATED)")}");
            foreach (var lun in session.Luns)
            {
                var backstore = lun.StorageObject.StartsWith("/backstores/", StringComparison.Ordinal)
                    ? lun.StorageObject["/backstores/".Length..]
                    : lun.StorageObject;
                ctx.Info($"    mapped-lun: {lun.Lun} backstore: {backstore} mode: {(lun.WriteProtect ? "r" : "rw")}");
            }
            foreach (var connection in session.Connections)
                ctx.Info($"    address: {connection.Address} ({Transport(connection.Address)})  cid: {connection.Cid} connection-state: {connection.State}");
        }
    }

    private static string Transport(string address)
        => IPAddress.TryParse(address.Trim('[', ']'), out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6 && !ip.IsIPv4MappedToIPv6
            ? "IPv6"
            : "IPv4";
}
