using SharpSan.Config.Tgt;

namespace SharpSan.Tgt.Admin;

/// <summary>
/// The LUNs of one target as scripts/tgt-admin adds them (add_backing_direct, add_params,
/// find_next_lun, check_device): numbers given in &lt;backing-store&gt; blocks are reserved, the others
/// take the first free number from 1 in tgt-admin's order (backing-store before direct-store, each by
/// path); a store that does not exist, or that another target already serves, is skipped with a
/// comment; per-LUN settings win over the target's.
/// </summary>
internal sealed class TgtAdminLuns(TgtAdminRun run, TargetsConfTarget target, int tid, string driver)
{
    /// <summary>Settings add_params turns into `--params KEY='VALUE'`.</summary>
    private static readonly HashSet<string> ParamKeys =
    [
        "scsi_id", "scsi_sn", "vendor_id", "product_id", "product_rev", "sense_format", "removable", "online", "path",
        "mode_page", "lbppbe", "la_lba", "optimal_xfer_gran", "optimal_xfer_len", "readonly",
    ];

    private readonly HashSet<ulong> _taken = target.Stores.Select(s => s.Find("lun")?.Value)
        .Where(v => v is not null && ulong.TryParse(v, out _)).Select(v => ulong.Parse(v!)).ToHashSet();

    public void AddAll()
    {
        foreach (var direct in new[] { false, true })
            foreach (var store in target.Stores.Where(s => s.Direct == direct).OrderBy(s => s.Path, StringComparer.Ordinal))
                Add(store);
    }

    private void Add(TargetsConfStore store)
    {
        var path = store.Path;
        var allowInUse = target.Find("allow-in-use")?.Value == "yes" || store.Find("allow-in-use")?.Value == "yes";
        var canAlloc = run.Options.Force || allowInUse || !InUse(path);
        if (!canAlloc)
        {
            run.Comment($"# Skipping device {path} - it is in use.");
            run.Comment("# You can override it with --force or 'allow-in-use yes' config option.");
            run.Comment("# Note - do so only if you know what you're doing, you may damage your data.");
            return;
        }
        if (!path.StartsWith("NONE:", StringComparison.Ordinal) && !(File.Exists(path) || (Path.Exists(path) && !Directory.Exists(path))))
        {
            run.Comment($"# Skipping device: {path}");
            run.Comment($"# {path} does not exist - please check the configuration file");
            return;
        }

        var lun = Number(store);
        var commands = new List<string>();
        var added = new HashSet<string>(StringComparer.Ordinal);
        string? deviceType = null, bsType = null, bsOpts = null, bsOFlags = null, blockSize = null;
        foreach (var o in store.Options)
        {
            switch (o.Key)
            {
                case "device-type": deviceType = o.Value; added.Add(o.Key); break;
                case "bs-type": bsType = o.Value; added.Add(o.Key); break;
                case "bsopts": bsOpts = o.Value; added.Add(o.Key); break;
                case "bsoflags": bsOFlags = o.Value; added.Add(o.Key); break;
                case "block-size": blockSize = o.Value; added.Add(o.Key); break;
                case "write-cache": Add(commands, Params("write-cache", o.Value, lun)); added.Add(o.Key); break;
                case "mode_page" or "params": Add(commands, Params(o.Key, o.Value, lun)); break;
                default: Add(commands, Params(o.Key, o.Value, lun)); added.Add(o.Key); break;
            }
        }
        var identity = store.Direct ? DirectStoreIdentity.Read(path) : new Dictionary<string, string>();
        foreach (var key in new[] { "scsi_id", "sense_format", "removable", "online", "path", "readonly" })
            if (!added.Contains(key) && target.Find(key) is { } o) { Add(commands, Params(key, o.Value, lun)); added.Add(key); }
        foreach (var key in new[] { "vendor_id", "product_id", "product_rev", "scsi_sn", "lbppbe", "la_lba", "optimal_xfer_gran", "optimal_xfer_len" })
        {
            var value = target.Find(key)?.Value ?? identity.GetValueOrDefault(key);
            if (!added.Contains(key) && value is { Length: > 0 }) { Add(commands, Params(key, value, lun)); added.Add(key); }
        }
        if (!added.Contains("write-cache")) Add(commands, Params("write-cache", target.Find("write-cache")?.Value ?? "", lun));
        foreach (var o in target.All("mode_page")) Add(commands, Params("mode_page", o.Value, lun));
        foreach (var o in target.All("params")) Add(commands, Params("params", o.Value, lun));
        deviceType ??= target.Find("device-type")?.Value;
        bsType ??= target.Find("bs-type")?.Value;
        bsOpts ??= target.Find("bsopts")?.Value;
        bsOFlags ??= target.Find("bsoflags")?.Value;
        blockSize ??= target.Find("block-size")?.Value;

        // tgt-admin builds this line with empty parts left as blanks.
        var parts = new[]
        {
            path.StartsWith("NONE:", StringComparison.Ordinal) ? "" : $"-b {ShellWords.Quote(path)}",
            deviceType is null ? "" : $"--device-type {ShellWords.Quote(deviceType)}",
            bsType is null ? "" : $"--bstype {ShellWords.Quote(bsType)}",
            bsOpts is null ? "" : $"--bsopts {ShellWords.Quote(bsOpts)}",
            bsOFlags is null ? "" : $"--bsoflags {ShellWords.Quote(bsOFlags)}",
            blockSize is null ? "" : $"--blocksize {ShellWords.Quote(blockSize)}",
        };
        run.Run($"{run.Tgtadm} --lld {driver} --op new --mode logicalunit --tid {tid} --lun {lun} {string.Join(' ', parts)}");
        // Mode pages first, then the rest, in order.
        foreach (var c in commands.Where(c => c.Contains("params mode_page", StringComparison.Ordinal))) Execute(c);
        foreach (var c in commands.Where(c => !c.Contains("params mode_page", StringComparison.Ordinal))) Execute(c);
    }

    private void Execute(string command)
    {
        if (command.StartsWith('#')) run.Comment(command);
        else run.Run(command);
    }

    private static void Add(List<string> commands, string? command)
    {
        if (command is not null) commands.Add(command);
    }

    /// <summary>The block's "lun", else the first number from 1 not reserved by a block nor taken;
    /// a target-wide "lun" wins over both (tgt-admin supports it with one store only).</summary>
    private ulong Number(TargetsConfStore store)
    {
        ulong lun;
        if (store.Find("lun")?.Value is { } given && ulong.TryParse(given, out var n))
            lun = n;
        else
        {
            lun = 1;
            while (_taken.Contains(lun)) lun++;
        }
        _taken.Add(lun);
        if (target.Find("lun")?.Value is { } forced && ulong.TryParse(forced, out var f))
            lun = f;
        return lun;
    }

    /// <summary>scripts/tgt-admin add_params: the command (or comment) one LUN setting becomes.</summary>
    private string? Params(string key, string value, ulong lun)
    {
        var head = $"{run.Tgtadm} --lld {driver} --op update --mode logicalunit --tid {tid} --lun={lun}";
        if (key == "write-cache")
        {
            if (value == "off")
                return $"{head} --params mode_page=8:0:18:0x10:0:0xff:0xff:0:0:0xff:0xff:0xff:0xff:0x80:0x14:0:0:0:0:0:0";
            if (value is "on" or "")
                return $"# Write cache is enabled (default) for lun {lun}.";
            return $"# WARNING! Unknown value ({value}) to write-cache! Accepted values are \"on\" and \"off\".";
        }
        if (ParamKeys.Contains(key))
            return $"{head} --params {key}={ShellWords.Quote(value)}";
        if (key == "params")
            return $"{head} --params {ShellWords.Quote(value.Replace("${tid}", $"{tid}").Replace("${lun}", $"{lun}"))}";
        return null;
    }

    /// <summary>scripts/tgt-admin check_device, with the daemon's tree for lsof: a path another LUN
    /// already serves is in use.</summary>
    private bool InUse(string path)
    {
        if (!Path.Exists(path)) return false;
        var full = Resolve(path);
        if (!run.Tree.Config.StorageObjects.Any(so => so.Dev.Length > 0 && Resolve(so.Dev) == full))
            return false;
        run.Comment($"# Device {path} is used (already tgtd target?).");
        run.Comment($"# Run 'lsof {path}' to see the details.");
        return true;
    }

    private static string Resolve(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return path;
        }
    }
}
