using System.Globalization;
using SharpSan.Config;

namespace SharpSan.TargetCli.Shell;

/// <summary>/backstores/{block,fileio,pscsi,ramdisk}: create, delete; a storage object's info.</summary>
internal sealed class BackstoreCommands(TargetCliShell shell, CdCommands cds)
{
    /// <summary>The create command of one backstore plugin (each takes its own parameters).</summary>
    public CommandSpec CreateSpec(string plugin) => plugin switch
    {
        "block" => new("create", ["name", "dev", "readonly", "wwn", "device_type"], 2, CreateBlockAsync,
            "Creates a Block Storage object. \"dev\" is the path to the block device to use. device_type=cd makes it a read-only CD/DVD drive with the device as its medium."),
        "fileio" => new("create", ["name", "file_or_dev", "size", "write_back", "sparse", "wwn", "device_type"], 2, CreateFileIoAsync,
            "Creates a FileIO storage object. A file that does not exist yet needs a size (1G, 500M, 512K, 1T, bytes). device_type=cd makes it a read-only CD/DVD drive with the file (an ISO image) as its medium."),
        "ramdisk" => new("create", ["name", "size", "nullio", "wwn"], 2, CreateRamdiskAsync, "Creates a ramdisk storage object. \"size\" is the size of the ramdisk."),
        _ => new("create", ["name", "dev"], 2, CreatePscsiAsync, "Creates a PSCSI storage object, with supplied name and SCSI device."),
    };

    private async Task CreateBlockAsync(CommandContext ctx)
    {
        var name = CheckNewStorageObject(ctx, "block");
        var dev = ctx.Arg("dev")!;
        if (CdCommands.IsCd(ctx))
        {
            CheckDeviceUnused(ctx, dev);
            await AddAsync(ctx, cds.NewCd(ctx, "block", name, dev, WwnArg(ctx)), $"Created block storage object {name} using {dev}.").ConfigureAwait(false);
            return;
        }
        var so = new StorageObjectConfig
        {
            Plugin = "block", Name = name, Dev = dev,
            Readonly = ctx.BoolArg("readonly", false),
            Wwn = WwnArg(ctx),
        };
        CheckDeviceUnused(ctx, dev);
        await AddAsync(ctx, so, $"Created block storage object {name} using {dev}.").ConfigureAwait(false);
    }

    private async Task CreateFileIoAsync(CommandContext ctx)
    {
        var name = CheckNewStorageObject(ctx, "fileio");
        var sparse = ctx.BoolArg("sparse", true);
        var writeBack = ctx.BoolArg("write_back", true);
        var sizeText = ctx.Arg("size");
        var file = shell.FullPath(ctx.Arg("file_or_dev")!);
        CheckDeviceUnused(ctx, file);
        if (CdCommands.IsCd(ctx))
        {
            var cd = cds.NewCd(ctx, "fileio", name, file, WwnArg(ctx));
            await AddAsync(ctx, cd, $"Created fileio {name} with size {cd.Size}").ConfigureAwait(false);
            return;
        }
        ulong size;
        if (Tree.DeviceSize.IsBlockDevice(file))
        {
            if (!string.IsNullOrEmpty(sizeText))
                ctx.Info("Block device, size parameter ignored");
            ctx.Info("Note: block backstore preferred for best results");
            size = 0;
        }
        else if (File.Exists(file))
        {
            var existing = (ulong)new FileInfo(file).Length;
            if (!string.IsNullOrEmpty(sizeText))
                ctx.Info($"{file} exists, using its size ({existing} bytes) instead");
            size = existing;
        }
        else if (Directory.Exists(file))
            throw new CliException($"Path {file} exists but is not a file");
        else
        {
            if (string.IsNullOrEmpty(sizeText))
                throw new CliException("Attempting to create file for new fileio backstore, need a size");
            if (!sparse)
                throw new CliException("sparse=false is not supported by SharpSAN: new backing files are created sparse");
            size = Sizes.Parse(sizeText);
        }
        var so = new StorageObjectConfig
        {
            Plugin = "fileio", Name = name, Dev = file, Size = size, WriteBack = writeBack,
            Wwn = WwnArg(ctx),
        };
        await AddAsync(ctx, so, $"Created fileio {name} with size {size}").ConfigureAwait(false);
    }

    private static async Task CreateRamdiskAsync(CommandContext ctx)
    {
        var name = CheckNewStorageObject(ctx, "ramdisk");
        var sizeText = ctx.Arg("size")!;
        if (ctx.BoolArg("nullio", false))
            throw new CliException("nullio ramdisks are not supported by SharpSAN");
        var so = new StorageObjectConfig
        {
            Plugin = "ramdisk", Name = name, Size = Sizes.Parse(sizeText),
            Wwn = WwnArg(ctx),
        };
        await AddAsync(ctx, so, $"Created ramdisk {name} with size {sizeText}.").ConfigureAwait(false);
    }

    /// <summary>The daemon cannot open a pass-through device yet (the config layer refuses the plugin),
    /// so the shell says so in targetcli's words instead of passing on the validator's JSON path.</summary>
    private static Task CreatePscsiAsync(CommandContext ctx)
    {
        CheckNewStorageObject(ctx, "pscsi");
        throw new CliException("pscsi storage objects are not supported by SharpSAN yet (use block, fileio or ramdisk)");
    }

    /// <summary>What every create ends with: the object is added and committed, then announced and
    /// (auto_cd_after_create) entered.</summary>
    private static async Task AddAsync(CommandContext ctx, StorageObjectConfig so, string created)
    {
        ctx.Config.StorageObjects.Add(so);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info(created);
        ctx.NewNode(so.Path);
    }

    /// <summary>The wwn given, else a new one, as rtslib generates (a UUID).</summary>
    private static string WwnArg(CommandContext ctx) => ctx.Arg("wwn") ?? Guid.NewGuid().ToString();

    public static async Task DeleteAsync(CommandContext ctx)
    {
        var name = ctx.Arg("name")!;
        var plugin = ctx.Node.Plugin;
        var so = ctx.Config.StorageObjects.FirstOrDefault(s => s.Plugin == plugin && s.Name == name)
            ?? throw new CliException($"No storage object named {name}.");
        var users = ctx.Config.Targets
            .SelectMany(t => t.Tpgs.SelectMany(g => g.Luns.Where(l => l.StorageObject == so.Path).Select(l => $"/iscsi/{t.Wwn}/tpg{g.Tag}/luns/lun{l.Index}")))
            .ToList();
        if (users.Count > 0)
            throw new CliException($"Storage object {plugin}/{name} is in use by {string.Join(", ", users)}; delete the LUN{(users.Count > 1 ? "s" : "")} first.");
        ctx.Config.StorageObjects.Remove(so);
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Deleted storage object {name}.");
    }

    public static Task InfoAsync(CommandContext ctx)
    {
        var so = ctx.Node.StorageObject!;
        var items = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = so.Name,
            ["plugin"] = so.Plugin,
        };
        if (so.Dev.Length > 0) items["dev"] = so.Dev;
        if (so.Plugin is "fileio" or "ramdisk") items["size"] = so.Size.ToString(CultureInfo.InvariantCulture);
        if (so.Plugin is "fileio" or "block") items["write_back"] = so.WriteBack ? "True" : "False";
        if (so.Plugin == "block") items["readonly"] = so.Readonly ? "True" : "False";
        if (so.Device.IsCd)
        {
            items["device_type"] = DeviceConfig.Cd;
            items["medium"] = so.Device.MediumPresent ? "loaded" : "none";
        }
        if (so.Wwn.Length > 0) items["wwn"] = so.Wwn;
        foreach (var (key, value) in items)
            ctx.Info($"{key}: {value}");
        return Task.CompletedTask;
    }

    /// <summary>rtslib's name rules and "Storage object fileio/disk1 exists".</summary>
    private static string CheckNewStorageObject(CommandContext ctx, string plugin)
    {
        var name = ctx.Arg("name")!;
        if (name.Any(c => c == '/' || c == '\n' || c == ' ' || c == '\t'))
            throw new CliException("A storage object's name cannot contain /, newline or spaces/tabs");
        if (ctx.Config.StorageObjects.Any(s => s.Plugin == plugin && s.Name == name))
            throw new CliException($"Storage object {plugin}/{name} exists");
        return name;
    }

    private static void CheckDeviceUnused(CommandContext ctx, string dev)
    {
        var other = ctx.Config.StorageObjects.FirstOrDefault(s => s.Dev.Length > 0 && SamePath(s.Dev, dev));
        if (other is not null)
            throw new CliException($"storage object for {dev} already exists: {other.Name}");
    }

    private static bool SamePath(string a, string b)
    {
        if (a == b) return true;
        try
        {
            static string Real(string p) => new FileInfo(p).ResolveLinkTarget(true)?.FullName ?? Path.GetFullPath(p);
            return File.Exists(a) && File.Exists(b) && Real(a) == Real(b);
        }
        catch (IOException) { return false; }
    }
}
