
namespace SharpSan.Target;

/// <summary>What the SCSI engine is told about this transport: iSCSI's protocol identifier 5h
/// (SPC-4 7.6.1) and version descriptor 0960h, "iSCSI (no version claimed)" (SPC-4 table 150).</summary>
internal static class IscsiScsiTransport
{
    public static readonly ScsiTransport Descriptor = new(ProtocolIdentifier.Iscsi, 0x0960, "iSCSI");
}
