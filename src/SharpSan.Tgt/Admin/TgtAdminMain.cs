using SharpSan.Config;
using SharpSan.Config.Tgt;
using SharpSan.Control;
using SharpSan.Tgt.Show;
using SharpSan.Tgt.Tree;

namespace SharpSan.Tgt.Admin;

/// <summary>
/// tgt-admin from arguments to exit code. It reads targets.conf (a malformed file stops it before
/// anything is asked of the daemon), plays tgt-admin's tgtadm commands on a copy of the daemon's
/// tree, and puts the result back in one change: all of it, or (refused) none of it. Targets the
/// run rebuilt unchanged are the daemon's own objects again, so a reload touches only what changed.
/// </summary>
public static class TgtAdminMain
{
    private const int Attempts = 5;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, Func<string, IControlClient> connect, TextWriter stdout, TextWriter stderr,
        string? socketFromEnvironment)
    {
        var o = TgtAdminOptions.Parse(args);
        foreach (var w in o.Warnings) await stderr.WriteAsync(w + "\n").ConfigureAwait(false);
        if (o.Help || o.NoArguments)
        {
            await stdout.WriteAsync(TgtAdminUsage.Help).ConfigureAwait(false);
            return 0;
        }
        if (HelpText(o) is { } help)
        {
            await stdout.WriteAsync(help).ConfigureAwait(false);
            return 0;
        }
        if (o.Offline is not null && o.Ready is not null && !o.Show && !o.Execute && o.Delete is null && o.Update is null && !o.Dump)
        {
            await stdout.WriteAsync("Invalid value (you can't use both ready and offline)!\n").ConfigureAwait(false);
            return 1;
        }

        TargetsConfDocument? doc = null;
        if (!o.Show && (o.Execute || (o.Delete is null && o.Update is not null)))
        {
            var path = o.Conf ?? TgtAdminUsage.DefaultConfigFile;
            if (!File.Exists(path))
            {
                await stderr.WriteAsync($"Config file {path} not found. Exiting...\n").ConfigureAwait(false);
                return 2;
            }
            try
            {
                doc = TargetsConfReader.Read(path);
            }
            catch (ConfigException ex)
            {
                await stderr.WriteAsync($"tgt-admin: {ex.Message}\n").ConfigureAwait(false);
                return 1;
            }
            if (o.ControlPort == "0" && doc.Global("control-port") is { } port)
                o.ControlPort = port.Value;
        }

        var socket = TgtControlSocket.Resolve(Tgtadm.TgtNumber.TryParseInt(o.ControlPort, 0, out var n, out _) ? n : 0, socketFromEnvironment);
        var client = connect(socket);
        try
        {
            if (o.Show)
            {
                // tgt-admin -s runs "tgtadm --op show --mode target" and exits 0 whatever it said.
                var outcome = await Tgtadm.TgtadmMain.RunAsync(["-C", o.ControlPort, "--op", "show", "--mode", "target"], _ => client, socketFromEnvironment).ConfigureAwait(false);
                await stdout.WriteAsync(outcome.Stdout).ConfigureAwait(false);
                await stderr.WriteAsync(outcome.Stderr).ConfigureAwait(false);
                return 0;
            }
            return await ApplyAsync(o, doc, client, stdout, stderr).ConfigureAwait(false);
        }
        catch (ControlException ex) when (ex.Kind == ControlErrorKind.Unavailable)
        {
            await stderr.WriteAsync($"tgt-admin: {ex.Message}\n").ConfigureAwait(false);
            return Tgtadm.TgtadmOutcome.Enotconn;
        }
        catch (ConfigException ex)
        {
            await stderr.WriteAsync($"tgt-admin: {ex.Message}\n").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            (client as IDisposable)?.Dispose();
        }
    }

    private static async Task<int> ApplyAsync(TgtAdminOptions o, TargetsConfDocument? doc, IControlClient client, TextWriter stdout, TextWriter stderr)
    {
        for (var attempt = 1; ; attempt++)
        {
            var snapshot = await client.GetConfigAsync().ConfigureAwait(false);
            var sessions = await client.GetSessionsAsync().ConfigureAwait(false);
            var working = SaveConfigReader.Parse(SaveConfigWriter.Serialize(snapshot.Config), "sharpsand");
            var outText = new StringWriter();
            var errText = new StringWriter();
            var run = new TgtAdminRun(o, working, sessions, outText, errText);
            int code;
            try
            {
                code = Act(o, doc, run);
            }
            catch (TgtAdminExit exit)
            {
                code = exit.Code;
            }
            await stdout.WriteAsync(outText.ToString()).ConfigureAwait(false);
            await stderr.WriteAsync(errText.ToString()).ConfigureAwait(false);
            if (code != 0 || o.Pretend || o.Dump) return code;

            var final = TgtAdminMerge.Merge(snapshot.Config, run.Tree.Config);
            if (TgtAdminMerge.Same(final, snapshot.Config)) return 0;
            try
            {
                await client.PutConfigAsync(final, snapshot.Generation).ConfigureAwait(false);
                return 0;
            }
            catch (ControlException ex) when (ex.Kind == ControlErrorKind.Conflict && attempt < Attempts)
            {
                // Someone changed the tree meanwhile: plan again from the new one (its output replaces this one's).
                await stdout.WriteAsync("# the configuration changed meanwhile; planning again\n").ConfigureAwait(false);
            }
            catch (ControlException ex) when (ex.Kind != ControlErrorKind.Unavailable)
            {
                await stderr.WriteAsync($"tgt-admin: sharpsand refused the new configuration, nothing was changed: {ex.Message}\n").ConfigureAwait(false);
                return 1;
            }
        }
    }

    /// <summary>The action, in tgt-admin's order of precedence.</summary>
    private static int Act(TgtAdminOptions o, TargetsConfDocument? doc, TgtAdminRun run)
    {
        if (o.Conf is not null && doc is not null) run.Comment($"# Using {o.Conf} as configuration file\n");
        var planner = new TgtAdminPlanner(run, doc);
        if (o.Execute) planner.Execute();
        else if (o.Delete is not null) planner.Delete(o.Delete);
        else if (o.Update is not null) planner.Update(o.Update);
        else if (o.Dump) run.Stdout.Write(TgtAdminDump.Write(run.Tree));
        else if (o.Offline is not null) planner.SetState(o.Offline, TgtSystemConfig.Offline);
        else if (o.Ready is not null) planner.SetState(o.Ready, TgtSystemConfig.Ready);
        else run.Stdout.Write("No action specified.\n");
        return 0;
    }

    /// <summary>"--delete help" and the like, which tgt-admin answers without doing anything.</summary>
    private static string? HelpText(TgtAdminOptions o)
    {
        if (o.Show || o.Execute) return null;
        if (o.Delete == "help") return TgtAdminUsage.DeleteHelp;
        if (o.Delete is null && o.Update == "help") return TgtAdminUsage.UpdateHelp;
        if (o.Delete is null && o.Update is null && !o.Dump)
        {
            if (o.Offline == "help" && o.Ready is null) return string.Format(TgtAdminUsage.StateHelp, "offline");
            if (o.Ready == "help" && o.Offline is null) return string.Format(TgtAdminUsage.StateHelp, "ready");
        }
        return null;
    }
}
