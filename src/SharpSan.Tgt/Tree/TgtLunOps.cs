using SharpSan.Config;
using SharpSan.Tgt.Tgtadm;

namespace SharpSan.Tgt.Tree;

/// <summary>
/// `tgtadm --mode logicalunit`: new, delete, update, as usr/target.c tgt_device_create/destroy and
/// usr/spc.c lu_config do them. A tgt LUN is a storage object of its own (fileio for a file, block
/// for a block device) named "tgt{tid}_lun{lun}", carrying tgt's identity: SCSI ID "IET     TTTTLLLL",
/// SN "beafTL", vendor "IET", product "VIRTUAL-DISK" (or "VIRTUAL-CDROM"), revision "0001".
/// </summary>
internal static class TgtLunOps
{
    /// <summary>Backing store types tgtd registers (Debian's build); the ones SharpSAN serves are
    /// rdwr and aio (mmc for a cd).</summary>
    private static readonly string[] KnownBsTypes = ["rdwr", "aio", "null", "sg", "bsg", "mmc", "ssc", "smc", "sheepdog", "rbd", "glfs"];

    /// <summary>usr/target.c tgt_device_create, with tgtd's checks in tgtd's order.</summary>
    public static void New(TgtTree tree, TgtadmRequest r)
    {
        var target = TgtTargetOps.Require(tree, r.Tid);
        var tpg = TgtTree.Tpg(target);
        var tid = target.Tgt!.Tid;
        if ((target.Tgt.ControllerLun && r.Lun == 0) || tpg.Luns.Any(l => l.Index == r.Lun))
            throw new TgtadmException(TgtadmError.LunExist);

        var bstype = r.BsType ?? "rdwr";
        if (!KnownBsTypes.Contains(bstype))
            throw new TgtadmException(TgtadmError.InvalidRequest);
        var passThroughStore = bstype is "sg" or "bsg";
        if (passThroughStore != (r.DeviceType == TgtDeviceType.PassThrough))
            throw new TgtadmException(TgtadmError.InvalidRequest);
        var isCd = r.DeviceType == TgtDeviceType.Mmc;
        // usr/mmc.c mmc_lu_init: an MMC device always uses the mmc backing store.
        var effectiveBs = isCd ? "mmc" : bstype;
        var flags = TgtBsOFlags.Parse(r.BsOFlags) ?? throw new TgtadmException(TgtadmError.InvalidRequest);
        if (flags.Length > 0 && (r.BsType is "aio" or "null" or "sg" or "bsg" or "sheepdog" or "rbd" or "glfs"))
            throw new TgtadmException(TgtadmError.InvalidRequest); // bsoflags not supported by that backing store

        if (passThroughStore)
            throw new TgtadmException(TgtadmError.InvalidRequest, "SCSI pass-through (--bstype sg/bsg, --device-type pt) is not supported by SharpSAN yet");
        if (r.DeviceType is not (TgtDeviceType.Disk or TgtDeviceType.Mmc))
            throw new TgtadmException(TgtadmError.InvalidRequest, $"device type {r.DeviceType.ToString().ToLowerInvariant()} is not supported by SharpSAN (disk, cd)");
        if (effectiveBs is not ("rdwr" or "aio" or "mmc" or "null"))
            throw new TgtadmException(TgtadmError.InvalidRequest, $"bstype {bstype} is not supported by SharpSAN (rdwr, aio)");
        if (r.Lun > 65535)
            throw new TgtadmException(TgtadmError.InvalidRequest, "SharpSAN serves LUNs 0 to 65535");
        if (r.Path is null)
            throw new TgtadmException(TgtadmError.InvalidRequest, "a logical unit without a backing store (--backing-store) is not supported by SharpSAN");

        var blockSize = isCd ? ConfigValidator.CdBlockSize : 512;
        if (r.BlockSize is { } bsText && !isCd)
        {
            // usr/target.c: an invalid block size is logged and the default kept.
            TgtNumber.StrToULL(bsText, out var bs);
            if (bs > 1 && (bs & (bs - 1)) == 0)
            {
                if (bs is not (512 or 4096))
                    throw new TgtadmException(TgtadmError.InvalidRequest, $"block size {bs} is not supported by SharpSAN (512, 4096)");
                blockSize = (int)bs;
            }
        }

        var name = TgtTargetConfig.StorageObjectName(tid, r.Lun);
        if (tree.Config.StorageObjects.Any(s => s.Name == name))
            throw new TgtadmException(TgtadmError.InvalidRequest, $"a storage object named {name} already exists");
        if (effectiveBs == "null")
        {
            AddNull(tree, target, tpg, r, name, blockSize);
            return;
        }
        var store = BackingStoreProbe.Probe(r.Path) ?? throw new TgtadmException(TgtadmError.InvalidRequest);
        var size = store.Size / (ulong)blockSize * (ulong)blockSize;
        if (size == 0)
            throw new TgtadmException(TgtadmError.InvalidRequest, $"{r.Path} is smaller than one {blockSize}-byte block");

        var so = new StorageObjectConfig
        {
            Plugin = store.IsBlockDevice ? "block" : "fileio",
            Name = name,
            Dev = store.Path,
            Size = store.IsBlockDevice ? 0 : size,
            BlockSize = blockSize,
            // bs_rdwr writes through the page cache and fdatasyncs on FUA, SYNCHRONIZE CACHE and when
            // the caching mode page has WCE off; O_SYNC (bsoflags sync) makes every write durable.
            // LIO's write_back says the same: true = cached and flushed when asked, false = write-through.
            WriteBack = !flags.Contains("sync"),
            Wwn = TgtTree.Wwn(target.Wwn, r.Lun),
            Device = new DeviceConfig
            {
                DeviceType = isCd ? DeviceConfig.Cd : DeviceConfig.Disk,
                VendorId = "IET",
                ProductId = isCd ? "VIRTUAL-CDROM" : "VIRTUAL-DISK",
                ProductRevision = "0001",
                ScsiId = TgtTree.ScsiId(tid, r.Lun),
                ScsiSerial = TgtTree.ScsiSerial(tid, r.Lun),
                Removable = isCd,
                Readonly = !store.Writable,
                TgtBsType = isCd ? "" : bstype,
                TgtBsOFlags = flags,
            },
        };
        tree.Config.StorageObjects.Add(so);
        tpg.Luns.Add(new LunConfig { Index = r.Lun, StorageObject = so.Path });
        tpg.Luns.Sort((a, b) => a.Index.CompareTo(b.Index));
        tree.Sync(target);
    }

    /// <summary>tgt's bs_null (usr/bs_null.c): a 1 TiB device that stores nothing, the path kept only
    /// to be shown. LIO's equivalent is a ramdisk with nullio.</summary>
    private static void AddNull(TgtTree tree, TargetConfig target, TpgConfig tpg, TgtadmRequest r, string name, int blockSize)
    {
        var tid = target.Tgt!.Tid;
        var so = new StorageObjectConfig
        {
            Plugin = "ramdisk",
            Name = name,
            Size = NullDeviceSize,
            BlockSize = blockSize,
            NullIo = true,
            Wwn = TgtTree.Wwn(target.Wwn, r.Lun),
            Device = new DeviceConfig
            {
                VendorId = "IET",
                ProductId = "VIRTUAL-DISK",
                ProductRevision = "0001",
                ScsiId = TgtTree.ScsiId(tid, r.Lun),
                ScsiSerial = TgtTree.ScsiSerial(tid, r.Lun),
                TgtBsType = "null",
                TgtBsPath = r.Path!,
            },
        };
        tree.Config.StorageObjects.Add(so);
        tpg.Luns.Add(new LunConfig { Index = r.Lun, StorageObject = so.Path });
        tpg.Luns.Sort((a, b) => a.Index.CompareTo(b.Index));
        tree.Sync(target);
    }

    /// <summary>usr/bs_null.c NULL_BS_DEV_SIZE.</summary>
    private const ulong NullDeviceSize = 1UL << 40;

    /// <summary>usr/target.c tgt_device_destroy: LUN 0 (the controller) only goes with its target.</summary>
    public static void Delete(TgtTree tree, int tid, ulong lun)
    {
        if (lun == 0)
            throw new TgtadmException(TgtadmError.InvalidRequest);
        var target = TgtTargetOps.Require(tree, tid);
        var tpg = TgtTree.Tpg(target);
        var entry = tpg.Luns.FirstOrDefault(l => l.Index == lun) ?? throw new TgtadmException(TgtadmError.NoLun);
        tpg.Luns.Remove(entry);
        tree.Config.StorageObjects.RemoveAll(s => s.Path == entry.StorageObject);
        tree.Sync(target);
    }

    /// <summary>The tgt LUN and its storage object, or tgtd's errors.</summary>
    public static (TargetConfig Target, StorageObjectConfig Object) Require(TgtTree tree, int tid, ulong lun)
    {
        var target = TgtTargetOps.Require(tree, tid);
        if (lun == 0 && target.Tgt!.ControllerLun)
            throw new TgtadmException(TgtadmError.InvalidRequest, "LUN 0 is tgt's controller: it has no settings");
        var entry = TgtTree.Tpg(target).Luns.FirstOrDefault(l => l.Index == lun) ?? throw new TgtadmException(TgtadmError.NoLun);
        return (target, tree.StorageObject(entry) ?? throw new TgtadmException(TgtadmError.NoLun));
    }
}
