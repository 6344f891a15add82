using SharpSan.Scsi;

namespace SharpSan.Initiator;

/// <summary>The LUN field of the PDUs this initiator sends: <see cref="SamLun"/>'s encoding.</summary>
internal static class LunEncoding
{
    public static ulong Encode(ulong lun) => SamLun.Encode(lun);
}
