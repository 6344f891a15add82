using SharpSan.Config;
using SharpSan.Scsi;
using SharpSan.Scsi.Devices.Controller;

namespace SharpSan.Daemon;

/// <summary>
/// tgt's LUN 0: every target tgt makes has a storage array controller there (usr/target.c adds it with
/// the target), with the identity tgt derives for LUN <c>lun</c> of target <c>tid</c> (usr/spc.c
/// spc_lu_init): vendor "IET", product "Controller", revision "0001", SCSI ID "IET     %04x%04x" and
/// SCSI SN "beaf%d%d" — for target 1, "IET     00010000" and "beaf10".
/// </summary>
internal static class TgtController
{
    public static LogicalUnit Open(int tid)
    {
        var identity = new LogicalUnitIdentity("IET", "Controller", "0001", NumericId(tid, 0))
        {
            T10VendorDesignator = ScsiId(tid, 0),
            ProductSerialNumber = ScsiSerial(tid, 0),
        };
        return new LogicalUnit(new ControllerBackstore(TgtTargetConfig.StorageObjectName(tid, 0)), identity);
    }

    /// <summary>tgt's SCSI ID: "IET", space-padded to 8, then tid and LUN as 4 hex digits each.</summary>
    public static string ScsiId(int tid, ulong lun) => $"IET     {tid:x4}{lun:x4}";

    /// <summary>tgt's SCSI SN: "beaf", then tid and LUN in decimal.</summary>
    public static string ScsiSerial(int tid, ulong lun) => $"beaf{tid}{lun}";

    /// <summary>tgt's numeric id (tid in the high 32 bits, LUN in the low) as hex digits: the NAA
    /// designator's vendor-specific identifier, unique per target.</summary>
    private static string NumericId(int tid, ulong lun) => $"{tid:x8}{lun:x8}";
}
