using SharpSan.Backstores;
using SharpSan.Config;
using SharpSan.Scsi;
using SharpSan.Scsi.Devices.Mmc;

namespace SharpSan.Daemon;

/// <summary>
/// How a storage object and its <see cref="DeviceConfig"/> become a logical unit: the backstore (a disk's
/// file or device, or a cd's tray with the image as its medium), the identity strings and the settings.
/// Decides too which changes a live unit can take (settings, a cd's medium) and which need a new unit.
/// </summary>
internal static class DeviceDefinition
{
    /// <summary>Our T10 vendor identification (SPC-4 6.6.2): 8 ASCII characters.</summary>
    public const string VendorId = "SHARPSAN";
    public const string ProductRevision = "1.0";

    /// <summary>Opens the unit of <paramref name="so"/>.</summary>
    /// <exception cref="NotSupportedException">Thin provisioning asked of a cd, or of a backstore that
    /// cannot deallocate blocks.</exception>
    public static LogicalUnit Open(StorageObjectConfig so)
    {
        CheckSupported(so);
        IBackstore backstore = so.Device.IsCd
            ? new MmcTray(so.Plugin, so.Name, so.Device.MediumPresent ? OpenMedium(so) : null)
            : BackstoreFactory.Open(so.Plugin, so.Name, so.Dev, so.Size, so.BlockSize, so.WriteBack, so.Readonly, so.NullIo);
        try
        {
            return new LogicalUnit(backstore, Identity(so), Settings(so));
        }
        catch
        {
            backstore.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>A cd's medium: the image read-only, 2048-byte blocks, at the file's own size (another
    /// image of another size can be loaded later; the configured size does not bind it).</summary>
    public static IBackstore OpenMedium(StorageObjectConfig so) =>
        BackstoreFactory.Open(so.Plugin, so.Name, so.Dev, 0, ConfigValidator.CdBlockSize, writeBack: false, readOnly: true);

    /// <summary>
    /// True when a live unit opened from <paramref name="old"/> can serve <paramref name="next"/>: the
    /// backstore is the same (a disk: every LIO field; a cd: all but its image and whether one is loaded,
    /// which change live), only tgt's device settings may differ.
    /// </summary>
    public static bool SameBackstore(StorageObjectConfig old, StorageObjectConfig next)
    {
        if (old.Plugin != next.Plugin || old.Name != next.Name || old.BlockSize != next.BlockSize || old.Wwn != next.Wwn
            || old.Device.DeviceType != next.Device.DeviceType)
            return false;
        if (next.Device.IsCd)
            return true;
        return old.Dev == next.Dev && old.Size == next.Size && old.WriteBack == next.WriteBack && old.Readonly == next.Readonly && old.NullIo == next.NullIo;
    }

    /// <summary>True when a cd's medium is not the one it was: another image, a load or an eject.</summary>
    public static bool MediumChanged(StorageObjectConfig old, StorageObjectConfig next) =>
        next.Device.IsCd && (old.Device.MediumPresent != next.Device.MediumPresent || (next.Device.MediumPresent && old.Dev != next.Dev));

    /// <summary>INQUIRY and VPD strings: tgt's overrides where set, else ours (vendor SHARPSAN, the
    /// storage object's name as product, as LIO does, the wwn as serial and in the T10 designator).</summary>
    public static LogicalUnitIdentity Identity(StorageObjectConfig so)
    {
        var d = so.Device;
        // The INQUIRY product identification is 16 ASCII characters (SPC-4 6.6.2).
        var product = d.ProductId.Length > 0 ? d.ProductId : so.Name.Length > 16 ? so.Name[..16] : so.Name;
        return new LogicalUnitIdentity(
            d.VendorId.Length > 0 ? d.VendorId : VendorId,
            product,
            d.ProductRevision.Length > 0 ? d.ProductRevision : ProductRevision,
            so.Wwn)
        {
            T10VendorDesignator = d.ScsiId,
            ProductSerialNumber = d.ScsiSerial,
        };
    }

    public static LogicalUnitSettings Settings(StorageObjectConfig so) => new()
    {
        Removable = so.Device.Removable,
        Online = so.Device.Online,
        WriteProtected = so.Device.Readonly,
        DescriptorSense = so.Device.DescriptorSense,
        TaskAbortedStatus = LioStorageAttributes.EmulateTas.ValueIn(so.ExtraAttributes) != 0,
        Provisioning = Provisioning(so),
    };

    /// <summary>
    /// Logical block provisioning from LIO's storage object attributes (emulate_tpu, emulate_tpws,
    /// unmap_zeroes_data and the UNMAP / WRITE SAME limits); tgt's thin_provisioning means
    /// emulate_tpu=1 and emulate_tpws=1. An absent attribute, or a count or granularity of 0 (LIO's
    /// "not configured"), takes the backstore's default.
    /// </summary>
    public static LogicalBlockProvisioningSettings Provisioning(StorageObjectConfig so)
    {
        var a = so.ExtraAttributes;
        bool tgtThin = so.Device.ThinProvisioning;
        static uint? Positive(int? value) => value is > 0 ? (uint)value.Value : null;
        return new LogicalBlockProvisioningSettings
        {
            Unmap = tgtThin || LioStorageAttributes.EmulateTpu.ValueIn(a) == 1,
            WriteSameUnmap = tgtThin || LioStorageAttributes.EmulateTpws.ValueIn(a) == 1,
            UnmapZeroesData = LioStorageAttributes.UnmapZeroesData.ValueIn(a) is int zeroes ? zeroes == 1 : null,
            MaximumUnmapLbaCount = Positive(LioStorageAttributes.MaxUnmapLbaCount.ValueIn(a)),
            MaximumUnmapBlockDescriptorCount = Positive(LioStorageAttributes.MaxUnmapBlockDescCount.ValueIn(a)),
            OptimalUnmapGranularity = Positive(LioStorageAttributes.UnmapGranularity.ValueIn(a)),
            UnmapGranularityAlignment = (uint?)LioStorageAttributes.UnmapGranularityAlignment.ValueIn(a),
            MaximumWriteSameLength = (uint?)LioStorageAttributes.MaxWriteSameLen.ValueIn(a),
        };
    }

    /// <summary>The unit's <paramref name="current"/> settings with those the configuration changed from
    /// <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static LogicalUnitSettings Changed(LogicalUnitSettings current, LogicalUnitSettings before, LogicalUnitSettings after) => current with
    {
        Removable = before.Removable == after.Removable ? current.Removable : after.Removable,
        Online = before.Online == after.Online ? current.Online : after.Online,
        WriteProtected = before.WriteProtected == after.WriteProtected ? current.WriteProtected : after.WriteProtected,
        DescriptorSense = before.DescriptorSense == after.DescriptorSense ? current.DescriptorSense : after.DescriptorSense,
        TaskAbortedStatus = before.TaskAbortedStatus == after.TaskAbortedStatus ? current.TaskAbortedStatus : after.TaskAbortedStatus,
        Provisioning = before.Provisioning == after.Provisioning ? current.Provisioning : after.Provisioning,
    };

    /// <summary>Thin provisioning (tgt's thin_provisioning, LIO's emulate_tpu / emulate_tpws) is for
    /// disks: a cd is read-only and has nothing to deallocate. Whether a disk's backstore can deallocate
    /// is checked when the unit is opened or changed (<see cref="LogicalBlockProvisioning.Resolve"/>).</summary>
    public static void CheckSupported(StorageObjectConfig so)
    {
        if (so.Device.IsCd && Provisioning(so).IsThin)
            throw new NotSupportedException(
                $"storage object {so.Path}: thin provisioning (thin_provisioning, emulate_tpu, emulate_tpws) is for disks, not a cd");
    }
}
