namespace SharpSan.Backstores;

/// <summary>
/// What a Linux block device's request queue says about discarding and zeroing
/// (/sys/class/block/NAME/queue: discard_max_bytes, discard_granularity, write_zeroes_max_bytes; a
/// partition reads its disk's queue). Used to declare only the provisioning capabilities the device has.
/// </summary>
internal readonly record struct BlockDeviceQueueLimits(long DiscardMaxBytes, long DiscardGranularity, long WriteZeroesMaxBytes)
{
    /// <summary>The device discards (BLKDISCARD, REQ_OP_DISCARD).</summary>
    public bool Discards => DiscardMaxBytes > 0;

    /// <summary>The device zeroes ranges itself, unmapping where it can (REQ_OP_WRITE_ZEROES): what
    /// fallocate(FALLOC_FL_PUNCH_HOLE) on a block device uses, so deallocated blocks read as zeros.</summary>
    public bool WritesZeroes => WriteZeroesMaxBytes > 0;

    /// <summary>The limits of the device at <paramref name="devicePath"/> (e.g. /dev/loop0), or all zero
    /// when sysfs does not describe it.</summary>
    public static BlockDeviceQueueLimits Read(string devicePath)
    {
        try
        {
            string name = Path.GetFileName(new FileInfo(devicePath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? devicePath);
            string device = Path.Combine("/sys/class/block", name);
            string queue = Path.Combine(device, "queue");
            if (!Directory.Exists(queue))
            {
                // A partition: /sys/class/block/sda1 links into its disk's folder, which has the queue.
                string? target = new DirectoryInfo(device).ResolveLinkTarget(returnFinalTarget: true)?.FullName;
                queue = target is null ? queue : Path.Combine(Path.GetDirectoryName(target) ?? target, "queue");
            }

            return new BlockDeviceQueueLimits(ReadNumber(queue, "discard_max_bytes"), ReadNumber(queue, "discard_granularity"),
                ReadNumber(queue, "write_zeroes_max_bytes"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return default;
        }
    }

    private static long ReadNumber(string queue, string name)
    {
        string path = Path.Combine(queue, name);
        return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out long value) ? value : 0;
    }
}
