using SharpSan.Config;
using SharpSan.Tgt.Tgtadm;

namespace SharpSan.Tgt.Tree;

/// <summary>
/// `tgtadm --op update --mode logicalunit --params k=v,...` (usr/spc.c lu_config): identity strings
/// (cut to tgt's lengths), flags read with atoi, online/offline, the caching mode page, and a new
/// backing store path while offline. Unlike tgtd, a list with one bad item changes nothing at all
/// (tgtd applies the items before it).
/// </summary>
internal static class TgtLunParams
{
    /// <summary>Applies <paramref name="parameters"/> (tgtadm's parameter text) to a LUN.</summary>
    public static void Update(TgtTree tree, int tid, ulong lun, TgtadmRequest r)
    {
        var (target, so) = TgtLunOps.Require(tree, tid, lun);
        // tgtadm sends "bsoflags=..", "blocksize=.." and "targetOps <params>,"; lu_config only strips a
        // leading "targetOps " and knows neither bsoflags nor blocksize here.
        if (r.BsOFlags is not null || r.BlockSize is not null)
            throw new TgtadmException(TgtadmError.InvalidRequest);
        var d = so.Device;
        foreach (var token in (r.TargetOps ?? "").Split(','))
        {
            if (token.Length == 0) continue;
            var eq = token.IndexOf('=');
            var key = eq < 0 ? token : token[..eq];
            var value = eq < 0 ? "" : token[(eq + 1)..];
            switch (key)
            {
                case "scsi_id": d.ScsiId = Cut(value, 36); break;
                case "scsi_sn": d.ScsiSerial = Cut(value, 36); break;
                case "vendor_id": d.VendorId = Cut(value, 8); break;
                case "product_id": d.ProductId = Cut(value, 16); break;
                case "product_rev": d.ProductRevision = Cut(value, 4); break;
                case "sense_format": d.DescriptorSense = Atoi(value) != 0; break;
                case "removable": if (!d.IsCd) d.Removable = Atoi(value) != 0; break;
                case "readonly": d.Readonly = Atoi(value) != 0; break;
                case "thin_provisioning": d.ThinProvisioning = Atoi(value) != 0; break;
                case "online":
                    // An MMC unit is online when it holds a medium (usr/mmc.c): offline is an eject.
                    d.Online = Atoi(value) != 0;
                    if (d.IsCd) d.MediumPresent = d.Online;
                    break;
                case "mode_page": so.WriteBack = ModePage(value, so.WriteBack); break;
                case "path": ChangePath(so, value); break;
                case "lbppbe" or "la_lba" or "optimal_xfer_gran" or "optimal_xfer_len" or "rotation_rate":
                    throw new TgtadmException(TgtadmError.InvalidRequest, $"{key} is not supported by SharpSAN");
                default:
                    throw new TgtadmException(TgtadmError.InvalidRequest);
            }
        }
        tree.Sync(target);
    }

    /// <summary>
    /// A mode page as tgt takes it ("page:subpage:length:byte:byte..."). SharpSAN serves the caching
    /// page's WCE bit (what targets.conf "write-cache off" sets) as the storage object's write_back;
    /// other pages are refused rather than silently ignored.
    /// </summary>
    private static bool ModePage(string value, bool writeBack)
    {
        var parts = value.Split(':');
        if (parts.Length >= 4 && TgtNumber.StrToULL(parts[0], out var page) && page == 8
            && TgtNumber.StrToULL(parts[1], out var subpage) && subpage == 0 && TgtNumber.StrToULL(parts[3], out var first))
            return (first & 0x04) != 0;
        throw new TgtadmException(TgtadmError.InvalidRequest, $"mode page {parts[0]} is not supported by SharpSAN (only the caching page 8, for its WCE bit)");
    }

    /// <summary>usr/target.c tgt_device_path_update: a new medium only while the unit is offline.</summary>
    private static void ChangePath(StorageObjectConfig so, string path)
    {
        if (so.Device.Online)
            throw new TgtadmException(TgtadmError.InvalidRequest);
        var store = BackingStoreProbe.Probe(path) ?? throw new TgtadmException(TgtadmError.InvalidRequest);
        var size = store.Size / (ulong)so.BlockSize * (ulong)so.BlockSize;
        if (size == 0)
            throw new TgtadmException(TgtadmError.InvalidRequest, $"{path} is smaller than one {so.BlockSize}-byte block");
        so.Plugin = store.IsBlockDevice ? "block" : "fileio";
        so.Dev = store.Path;
        so.Size = store.IsBlockDevice ? 0 : size;
        so.Device.Readonly |= !store.Writable;
        // tgt brings the unit back online with its new medium (lu_online after bs_open).
        so.Device.Online = true;
        so.Device.MediumPresent = true;
    }

    /// <summary>match_strncpy into tgt's fixed buffers: longer values are cut.</summary>
    private static string Cut(string value, int max) => value.Length <= max ? value : value[..max];

    /// <summary>C's atoi: optional spaces and sign, then digits; 0 when none.</summary>
    internal static int Atoi(string text)
    {
        var i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        var sign = 1;
        if (i < text.Length && text[i] is '+' or '-') sign = text[i++] == '-' ? -1 : 1;
        long n = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]) && n < int.MaxValue) n = n * 10 + (text[i++] - '0');
        return (int)Math.Clamp(sign * n, int.MinValue, int.MaxValue);
    }
}
