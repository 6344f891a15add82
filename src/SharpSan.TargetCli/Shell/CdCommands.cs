using System.Globalization;
using SharpSan.Config;

namespace SharpSan.TargetCli.Shell;

/// <summary>
/// CD-ROM storage objects, SharpSAN's addition to targetcli (LIO has no MMC device): a fileio or block
/// storage object created with <c>device_type=cd</c> is a read-only CD/DVD drive with the image as its
/// medium (2048-byte blocks); <c>load file_or_dev=IMAGE</c> and <c>eject</c> on it change the medium
/// of the live drive, initiators staying logged in.
/// </summary>
internal sealed class CdCommands(TargetCliShell shell)
{
    private const int SectorSize = ConfigValidator.CdBlockSize;

    /// <summary>The device_type parameter of create: disk (the default) or cd.</summary>
    public static bool IsCd(CommandContext ctx) => (ctx.Arg("device_type") ?? DeviceConfig.Disk) switch
    {
        DeviceConfig.Disk => false,
        DeviceConfig.Cd => true,
        var other => throw new CliException($"device_type must be disk or cd, not {other}"),
    };

    /// <summary>The storage object of a cd, created over an existing image at its own size.</summary>
    public StorageObjectConfig NewCd(CommandContext ctx, string plugin, string name, string dev, string wwn)
    {
        if (ctx.Arg("size") is { Length: > 0 })
            ctx.Info("A cd takes its size from the image, size parameter ignored");
        return new StorageObjectConfig
        {
            Plugin = plugin, Name = name, Dev = dev, Size = plugin == "fileio" ? ImageSize(dev) : 0,
            BlockSize = SectorSize, Readonly = plugin == "block", Wwn = wwn,
            Device = new DeviceConfig { DeviceType = DeviceConfig.Cd },
        };
    }

    /// <summary>load file_or_dev=IMAGE: puts another image (or the same again) into the drive.</summary>
    public async Task LoadAsync(CommandContext ctx)
    {
        var so = Find(ctx);
        var dev = so.Plugin == "fileio" ? shell.FullPath(ctx.Arg("file_or_dev")!) : ctx.Arg("file_or_dev")!;
        var other = ctx.Config.StorageObjects.FirstOrDefault(s => s != so && s.Dev == dev);
        if (other is not null)
            throw new CliException($"storage object for {dev} already exists: {other.Name}");
        if (so.Plugin == "fileio")
            so.Size = ImageSize(dev);
        else if (!File.Exists(dev))
            throw new CliException($"Device {dev} does not exist");
        so.Dev = dev;
        so.Device.MediumPresent = true;
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Loaded {dev} into {so.Plugin}/{so.Name}.");
    }

    /// <summary>eject: takes the medium out of the drive (refused while an initiator prevents it).</summary>
    public static async Task EjectAsync(CommandContext ctx)
    {
        var so = Find(ctx);
        if (!so.Device.MediumPresent)
            throw new CliException($"No medium in {so.Plugin}/{so.Name}.");
        so.Device.MediumPresent = false;
        await ctx.CommitAsync().ConfigureAwait(false);
        ctx.Info($"Ejected the medium of {so.Plugin}/{so.Name}.");
    }

    private static StorageObjectConfig Find(CommandContext ctx) =>
        ctx.Config.StorageObjects.First(s => s.Path == ctx.Node.StorageObject!.Path);

    /// <summary>An image is a whole number of 2048-byte sectors (MMC-6), and must exist: a drive
    /// reads media, it does not make them.</summary>
    private static ulong ImageSize(string file)
    {
        if (!File.Exists(file))
            throw new CliException($"A cd needs an existing image: {file} does not exist");
        var size = (ulong)new FileInfo(file).Length;
        if (size == 0 || size % SectorSize != 0)
            throw new CliException($"{file} is not a cd image: {size.ToString(CultureInfo.InvariantCulture)} bytes is not a whole number of {SectorSize}-byte sectors");
        return size;
    }
}
