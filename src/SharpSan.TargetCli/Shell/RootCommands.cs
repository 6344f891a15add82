using SharpSan.Config;
using SharpSan.Control;

namespace SharpSan.TargetCli.Shell;

/// <summary>The root's configuration commands: saveconfig, restoreconfig, clearconfig, version.</summary>
internal sealed class RootCommands(TargetCliShell shell)
{
    public async Task SaveConfigAsync(CommandContext ctx)
    {
        var file = ctx.Arg("savefile");
        foreach (var line in await SaveAsync(ctx.Snapshot, string.IsNullOrEmpty(file) ? null : file, CancellationToken.None).ConfigureAwait(false))
            ctx.Info(line);
    }

    /// <summary>Asks the daemon to save (it writes atomically and keeps backups); the messages targetcli prints.</summary>
    public async Task<List<string>> SaveAsync(ConfigSnapshot snapshot, string? file, CancellationToken cancellationToken)
    {
        var path = file is null ? null : shell.FullPath(file);
        var effective = path ?? snapshot.ConfigPath;
        // The daemon backs up a file that exists before replacing it (targetcli: "Last 10 configs saved").
        var existed = effective.Length > 0 && File.Exists(effective);
        var written = await shell.Client.SaveConfigAsync(path, cancellationToken).ConfigureAwait(false);
        var messages = new List<string>();
        if (existed)
            messages.Add($"Last 10 configs saved in {Path.Combine(Path.GetDirectoryName(written) ?? "/", "backup")}/.");
        messages.Add($"Configuration saved to {written}");
        return messages;
    }

    public async Task RestoreConfigAsync(CommandContext ctx)
    {
        var file = ctx.Arg("savefile") is { Length: > 0 } given ? shell.FullPath(given) : ctx.Snapshot.ConfigPath;
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

    public static async Task ClearConfigAsync(CommandContext ctx)
    {
        if (!ctx.BoolArg("confirm", false))
            throw new CliException("As a precaution, confirm=True needs to be set");
        ctx.Config.Targets.Clear();
        ctx.Config.StorageObjects.Clear();
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info("All configuration cleared");
    }

    public static Task VersionAsync(CommandContext ctx)
    {
        ctx.Info($"targetcli version {TargetCliShell.Version}");
        return Task.CompletedTask;
    }
}
