using SharpSan.Config.Tgt;
using SharpSan.Tgt.Tree;

namespace SharpSan.Tgt.Admin;

/// <summary>
/// scripts/tgt-admin's actions on the working tree: --execute (add_targets, remove_targets),
/// --update, --delete, --offline/--ready, with its tid choice, its order (targets by name; a target's
/// options by key: iSCSI keys, LUNs, accounts, ACLs, state), its skip rules for targets in use and
/// its comments. The result is compared with the daemon's tree afterwards, so a target this rebuilds
/// identically is not touched at all (<see cref="TgtAdminMerge"/>).
/// </summary>
internal sealed class TgtAdminPlanner(TgtAdminRun run, TargetsConfDocument? doc)
{
    private readonly Dictionary<string, int> _tids = Managed(run).ToDictionary(t => t.Wwn, t => t.Tgt!.Tid, StringComparer.Ordinal);
    private readonly HashSet<string> _accounts = run.Tree.Config.Tgt.Accounts.Select(a => a.User).ToHashSet(StringComparer.Ordinal);
    private int _nextTid = run.Tree.Targets.Select(t => t.Tgt!.Tid).DefaultIfEmpty(0).Max();
    private string _defaultDriver = "iscsi";
    private bool _globalsDone;
    private bool _updating;

    /// <summary>
    /// The targets tgt-admin manages: tgt's (with their controller LUN 0). Targets read from an
    /// ietd.conf carry a tid too but are IET's: a reload of targets.conf, which removes whatever it
    /// does not list, must not take them away (their tids are still avoided for new targets).
    /// </summary>
    private static IEnumerable<Config.TargetConfig> Managed(TgtAdminRun run) => run.Tree.Targets.Where(t => t.Tgt!.ControllerLun);

    private IEnumerable<TargetsConfTarget> ConfigTargets => doc!.Targets.OrderBy(t => t.Name, StringComparer.Ordinal);

    /// <summary>--execute: adds what the file has and tgtd does not, then removes what tgtd has and the file does not.</summary>
    public void Execute()
    {
        AddTargets(null, configured: false, inConfig: false);
        foreach (var name in Managed(run).Select(t => t.Wwn).ToList())
            if (!ConfigTargets.Any(t => t.Name == name))
                MainDelete(name, null);
    }

    /// <summary>--update ALL | tid=N | NAME.</summary>
    public void Update(string which)
    {
        _updating = true;
        if (which == "ALL")
        {
            var running = Managed(run).Select(t => t.Wwn).Where(n => !ConfigTargets.Any(c => c.Name == n)).ToList();
            foreach (var name in running.Concat(ConfigTargets.Select(t => t.Name)).ToList())
                UpdateOne(name);
            return;
        }
        if (which.StartsWith("tid=", StringComparison.Ordinal))
        {
            var name = _tids.FirstOrDefault(p => p.Value.ToString() == which[4..]).Key;
            if (name is null)
            {
                run.Stdout.Write($"There is no target with tid {which[4..]}, can't continue!\n");
                throw new TgtAdminExit(1);
            }
            UpdateOne(name);
            return;
        }
        UpdateOne(which);
    }

    private void UpdateOne(string name)
    {
        var configured = _tids.ContainsKey(name);
        var inConfig = ConfigTargets.Any(t => t.Name == name);
        if (!inConfig && configured)
            MainDelete(name, null);
        else
            AddTargets(name, configured, inConfig);
    }

    /// <summary>--delete ALL | tid=N | NAME.</summary>
    public void Delete(string which)
    {
        if (which == "ALL")
            foreach (var name in Managed(run).Select(t => t.Wwn).ToList()) MainDelete(name, null);
        else if (which.StartsWith("tid=", StringComparison.Ordinal))
            MainDelete(_tids.FirstOrDefault(p => p.Value.ToString() == which[4..]).Key ?? "", which[4..]);
        else
            MainDelete(which, null);
    }

    /// <summary>--offline / --ready ALL | tid=N | NAME.</summary>
    public void SetState(string which, string state)
    {
        if (which == "ALL")
            foreach (var t in Managed(run).ToList())
                run.Run($"{run.Tgtadm} --op update --mode target --tid={t.Tgt!.Tid} -n state -v {state}");
        else if (which.StartsWith("tid=", StringComparison.Ordinal))
            run.Run($"{run.Tgtadm} --op update --mode target --tid={which[4..]} -n state -v {state}");
        else if (_tids.TryGetValue(which, out var tid))
            run.Run($"{run.Tgtadm} --op update --mode target --tid={tid} -n state -v {state}");
        else
        {
            run.Stdout.Write($"There is no target with name \"{which}\", can't {state} it!\n");
            throw new TgtAdminExit(1);
        }
    }

    /// <summary>scripts/tgt-admin add_targets: every target of the file, or only <paramref name="single"/>.</summary>
    private void AddTargets(string? single, bool configured, bool inConfig)
    {
        Globals();
        foreach (var target in ConfigTargets)
        {
            if (single is not null && single != target.Name) continue;
            var inUse = single is not null && MainDelete(target.Name, null);
            if (!_tids.ContainsKey(target.Name) || (_updating && !inUse) || (_updating && inUse && run.Options.Pretend && run.Options.Force))
            {
                if (inConfig && !configured && !run.Options.Pretend) _nextTid = _tids.Values.Concat(run.Tree.Targets.Select(t => t.Tgt!.Tid)).DefaultIfEmpty(0).Max() + 1;
                else if (single is not null && configured) _nextTid = _tids[target.Name];
                else _nextTid++;
                if (target.Find("controller_tid")?.Value is { } forced) _nextTid = TgtLunParams.Atoi(forced);
                AddTarget(target, _nextTid);
                _tids[target.Name] = _nextTid;
            }
            else if (!configured || inUse)
                run.Comment($"# Target {target.Name} already exists!");
        }
        if (single is not null && !inConfig && !configured)
        {
            run.Stdout.Write($"Target {single} is currently not configured\nand does not exist in the config file - can't continue!\n");
            throw new TgtAdminExit(1);
        }
        run.Comment();
    }

    private void AddTarget(TargetsConfTarget target, int tid)
    {
        var driver = target.Find("driver")?.Value ?? _defaultDriver;
        run.Comment($"# Adding target: {target.Name}");
        run.Run($"{run.Tgtadm} --lld {driver} --op new --mode target --tid {tid} -T {target.Name}");
        // scripts/tgt-admin walks the target's options sorted by key (ASCII: the iSCSI keys first).
        var keys = target.Options.Select(o => o.Key).Distinct()
            .Concat(target.Stores.Select(s => s.Direct ? "direct-store" : "backing-store").Distinct())
            .Distinct().Order(StringComparer.Ordinal).ToList();
        var luns = new TgtAdminLuns(run, target, tid, driver);
        var lunsAdded = false;
        foreach (var key in keys)
        {
            switch (key)
            {
                case "backing-store" or "direct-store":
                    if (!lunsAdded) luns.AddAll();
                    lunsAdded = true;
                    break;
                case "incominguser":
                    foreach (var o in target.All(key))
                    {
                        var (user, password) = UserPassword(o);
                        NewAccount(driver, user, password);
                        run.Run($"{run.Tgtadm} --lld {driver} --mode account --op bind --tid={tid} --user={user}");
                    }
                    break;
                case "outgoinguser":
                {
                    var all = target.All(key).ToList();
                    if (all.Count > 1) run.Comment($"# Warning: only one {key} is allowed. Will only use the first one.");
                    var (user, password) = UserPassword(all[0]);
                    NewAccount(driver, user, password);
                    run.Run($"{run.Tgtadm} --lld {driver} --mode account --op bind --tid={tid} --user={user} --outgoing");
                    break;
                }
                case "initiator-address":
                    foreach (var o in target.All(key)) run.Run($"{run.Tgtadm} --lld {driver} --op bind --mode target --tid {tid} -I {o.Value}");
                    break;
                case "initiator-name":
                    foreach (var o in target.All(key)) run.Run($"{run.Tgtadm} --lld {driver} --op bind --mode target --tid {tid} -Q {o.Value}");
                    break;
                default:
                    if (TargetsConfKeys.Iscsi.Contains(key) || key.StartsWith("state", StringComparison.Ordinal))
                        run.Run($"{run.Tgtadm} --lld {driver} --mode target --op update --tid {tid} --name {key} --value {target.Find(key)!.Value}");
                    break;
            }
        }
        // No initiator-address: every initiator is let in (an initiator-name alone does not change that).
        if (!target.All("initiator-address").Any())
            run.Run($"{run.Tgtadm} --lld {driver} --op bind --mode target --tid {tid} -I ALL");
    }

    /// <summary>The global options, once per run (tgt-admin repeats them per target it updates,
    /// which makes a second bind of a discovery account fail).</summary>
    private void Globals()
    {
        if (_globalsDone) return;
        _globalsDone = true;
        foreach (var o in doc!.Globals.OrderBy(o => o.Key, StringComparer.Ordinal))
        {
            switch (o.Key)
            {
                case "default-driver": _defaultDriver = o.Value; break;
                case "ignore-errors": if (o.Value == "yes") run.IgnoreErrors = true; break;
                case "iSNSAccessControl" or "iSNSServerIP" or "iSNSServerPort" or "iSNS":
                    run.Run($"{run.Tgtadm} --op update --mode sys --name {o.Key} -v {o.Value}");
                    break;
                case "incomingdiscoveryuser" or "outgoingdiscoveryuser":
                    var (user, password) = UserPassword(o);
                    NewAccount(null, user, password);
                    run.Run($"{run.Tgtadm} --mode account --op bind --user={user} {(o.Key == "outgoingdiscoveryuser" ? " --outgoing" : "")}");
                    break;
            }
        }
        if (doc.Global("default-driver") is null) run.Comment("# default-driver not defined, defaulting to iscsi.\n");
    }

    private void NewAccount(string? driver, string user, string password)
    {
        // tgt-admin creates an account only when tgtd has none of that name (it never changes a password).
        if (!_accounts.Add(user)) return;
        run.Run($"{run.Tgtadm}{(driver is null ? "" : $" --lld {driver}")} --mode account --op new --user={user} --password={password}");
    }

    private static (string User, string Password) UserPassword(TargetsConfOption o)
    {
        var parts = o.Value.Split(' ');
        if (parts.Length < 2 || parts[1].Length == 0)
            throw new Config.ConfigException(o.Where, "", $"{o.Key} needs a user and a password");
        return (parts[0], parts[1]);
    }

    /// <summary>scripts/tgt-admin main_delete; true when the target is in use and stays.</summary>
    private bool MainDelete(string name, string? tid)
    {
        var configured = _tids.TryGetValue(name, out var current);
        if (run.Connected(name))
        {
            if (!run.Options.Force)
            {
                run.Comment($"# Target with tid {current} ({name}) is in use, it won't be {(_updating ? "updated" : "deleted")}.");
                return true;
            }
            // tgt-admin unbinds the ACLs and closes each connection first; deleting with --force does
            // both, and a target defined again in the same run keeps its sessions.
            run.Comment($"# Removing target: {name}");
            run.Run($"{run.Tgtadm} --mode target --op delete --force --tid={current}");
        }
        else if (configured)
        {
            run.Comment($"# Removing target: {name}");
            run.Run($"{run.Tgtadm} --mode target --op delete --tid={current}");
        }
        else
            run.Comment(tid is not null ? $"# Target with tid {tid} does not exist!" : $"# Target with name {name} does not exist!");
        if (configured) run.Comment();
        return false;
    }
}
