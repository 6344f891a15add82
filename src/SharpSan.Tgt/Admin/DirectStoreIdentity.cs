namespace SharpSan.Tgt.Admin;

/// <summary>
/// What tgt-admin reads with sg_inq for a "direct-store" device (vendor, product, revision, unit
/// serial number), read here from the kernel's view of the disk in sysfs, so no sg3-utils are needed.
/// Nothing when the path is not a SCSI disk.
/// </summary>
internal static class DirectStoreIdentity
{
    public static Dictionary<string, string> Read(string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var full = Path.GetFullPath(path);
            var resolved = new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
            var device = $"/sys/class/block/{Path.GetFileName(resolved)}/device";
            if (!Directory.Exists(device)) return result;
            Put(result, "vendor_id", Path.Combine(device, "vendor"));
            Put(result, "product_id", Path.Combine(device, "model"));
            Put(result, "product_rev", Path.Combine(device, "rev"));
            var vpd80 = Path.Combine(device, "vpd_pg80");
            if (File.Exists(vpd80))
            {
                var page = File.ReadAllBytes(vpd80);
                if (page.Length > 4)
                {
                    var serial = System.Text.Encoding.ASCII.GetString(page, 4, Math.Min(page[3], page.Length - 4)).Trim();
                    if (serial.Length > 0) result["scsi_sn"] = serial;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
        }
        return result;
    }

    private static void Put(Dictionary<string, string> result, string key, string file)
    {
        if (!File.Exists(file)) return;
        var value = File.ReadAllText(file).Trim();
        if (value.Length > 0) result[key] = value;
    }
}
