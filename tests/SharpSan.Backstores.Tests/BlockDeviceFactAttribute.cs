namespace SharpSan.Backstores.Tests;

/// <summary>A fact that runs only when a readable Linux block device with a non-zero size exists;
/// otherwise it is reported as skipped with the reason.</summary>
public sealed class BlockDeviceFactAttribute : FactAttribute
{
    public BlockDeviceFactAttribute()
    {
        if (FindDevice(out _, out _) is string reason)
        {
            Skip = reason;
        }
    }

    /// <summary>Returns null and the device when found, else the reason none can be used.</summary>
    public static string? FindDevice(out string device, out ulong sizeBytes)
    {
        device = "";
        sizeBytes = 0;
        if (!OperatingSystem.IsLinux() || !Directory.Exists("/sys/block"))
        {
            return "no Linux /sys/block: block device tests need Linux";
        }

        foreach (string entry in Directory.GetDirectories("/sys/block"))
        {
            string name = Path.GetFileName(entry);
            string path = "/dev/" + name;
            if (!File.Exists(path) || !ulong.TryParse(File.ReadAllText(Path.Combine(entry, "size")).Trim(), out ulong sectors) || sectors == 0)
            {
                continue;
            }

            try
            {
                using var probe = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                continue;
            }

            device = path;
            sizeBytes = sectors * 512;
            return null;
        }

        return "no readable block device with a non-zero size (needs root or the disk group)";
    }
}
