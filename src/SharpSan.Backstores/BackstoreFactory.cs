using SharpSan.Scsi;

namespace SharpSan.Backstores;

/// <summary>Opens a storage object from its LIO-style description.</summary>
public static class BackstoreFactory
{
    /// <summary>
    /// Opens a backstore. <paramref name="plugin"/>: "fileio", "block" (alias "iblock") or "ramdisk"
    /// (alias "rd_mcp"; with <paramref name="nullIo"/>, LIO's nullio: stores nothing). <paramref name="dev"/> is the file or device path (ignored for ramdisk);
    /// <paramref name="size"/> in bytes (fileio: 0 = use the existing file's length; block: ignored,
    /// the device's size is used).
    /// </summary>
    /// <exception cref="NotSupportedException">A known LIO plugin this target does not implement (pscsi, user).</exception>
    /// <exception cref="ArgumentException">Unknown plugin, bad block size or size, wrong kind of path.</exception>
    /// <exception cref="IOException">The file or device cannot be found or opened.</exception>
    public static IBackstore Open(string plugin, string name, string dev, ulong size, int blockSize, bool writeBack, bool readOnly, bool nullIo = false)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        switch (plugin)
        {
            case "fileio":
                RequirePath(plugin, name, dev);
                return new FileIoBackstore(name, dev, size, blockSize, writeBack, readOnly);
            case "block":
            case "iblock":
                RequirePath(plugin, name, dev);
                return new BlockBackstore(name, dev, blockSize, writeBack, readOnly);
            case "ramdisk":
            case "rd_mcp":
                return new RamdiskBackstore(name, size, blockSize, readOnly, nullIo);
            case "pscsi":
            case "user":
                throw new NotSupportedException($"Backstore plugin '{plugin}' (for '{name}') is not supported by this target; use fileio, block or ramdisk.");
            default:
                throw new ArgumentException($"Unknown backstore plugin '{plugin}' (for '{name}'); expected fileio, block or ramdisk.", nameof(plugin));
        }
    }

    private static void RequirePath(string plugin, string name, string dev)
    {
        if (string.IsNullOrWhiteSpace(dev))
        {
            throw new ArgumentException($"{plugin} backstore '{name}' needs a device or file path (dev).", nameof(dev));
        }
    }
}
