using System.Globalization;
using System.Net;
using System.Net.Sockets;
using SharpSan.Config;
using SharpSan.Control;

namespace SharpSan.TargetCli.Shell;

// Root commands: saveconfig, restoreconfig, clearconfig, sessions, version.
public sealed partial class TargetCliShell
{
    private async Task SaveConfigAsync(CommandContext ctx)
    {
        var file = ctx.Arg("savefile");
        foreach (var line in await SaveAsync(ctx.Snapshot, string.IsNullOrEmpty(file) ? null : file, CancellationToken.None).ConfigureAwait(false))
            ctx.Info(line);
    }

    /// <summary>Asks the daemon to save (it writes atomically and keeps backups); the messages targetcli prints.</summary>
    private async Task<List<string>> SaveAsync(ConfigSnapshot snapshot, string? file, CancellationToken cancellationToken)
    {
        var path = file is null ? null : FullPath(file);
        var effective = path ?? snapshot.ConfigPath;
        // The daemon backs up a file that exists before replacing it (targetcli: "Last 10 configs saved").
        var existed = effective.Length > 0 && File.Exists(effective);
        var written = await Client.SaveConfigAsync(path, cancellationToken).ConfigureAwait(false);
        var messages = new List<string>();
        if (existed)
            messages.Add($"Last 10 configs saved in {Path.Combine(Path.GetDirectoryName(written) ?? "/", "backup")}/.");
        messages.Add($"Configuration saved to {written}");
        return messages;
    }

    private async Task RestoreConfigAsync(CommandContext ctx)
    {
        var file = ctx.Arg("savefile") is { Length: > 0 } given ? FullPath(given) : ctx.Snapshot.ConfigPath;
        var clear = ctx.BoolArg("clear_existing", false);
        if (!File.Exists(file))
            throw new CliException($"Restore file {file} not found");
        var loaded = SaveConfigReader.Load(file);
        var config = ctx.Config;
        if (clear)
        {
            config.StorageObjects.Clear();
            config.Targets.Clear();
            config.DiscoveryAuth = loaded.DiscoveryAuth;
        }
        else
        {
            foreach (var so in loaded.StorageObjects)
                if (config.StorageObjects.Any(s => s.Name == so.Name && s.Plugin == so.Plugin))
                    throw new CliException($"storageobject '{so.Plugin}:{so.Name}' exist not restoring");
            foreach (var t in loaded.Targets)
                if (config.Targets.Any(x => string.Equals(x.Wwn, t.Wwn, StringComparison.OrdinalIgnoreCase)))
                    throw new CliException($"target with wwn {t.Wwn} exist, not restoring");
            if (loaded.DiscoveryAuth.Enable)
                config.DiscoveryAuth = loaded.DiscoveryAuth;
        }
        config.StorageObjects.AddRange(loaded.StorageObjects);
        config.Targets.AddRange(loaded.Targets);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Configuration restored from {file}");
    }

    private async Task ClearConfigAsync(CommandContext ctx)
    {
        if (!ctx.BoolArg("confirm", false))
            throw new CliException("As a precaution, confirm=True needs to be set");
        ctx.Config.Targets.Clear();
        ctx.Config.StorageObjects.Clear();
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info("All configuration cleared");
    }

    private Task VersionAsync(CommandContext ctx)
    {
        ctx.Info($"targetcli version {Version}");
        return Task.CompletedTask;
    }

    private async Task SessionsAsync(CommandContext ctx)
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
        var sessions = await Client.GetSessionsAsync().ConfigureAwait(false);
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
