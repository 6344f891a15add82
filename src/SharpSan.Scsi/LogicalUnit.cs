namespace SharpSan.Scsi;

/// <summary>Identity strings a logical unit reports (INQUIRY, VPD 0x80/0x83).</summary>
public sealed record LogicalUnitIdentity(
    string VendorId,          // T10 vendor id, 8 chars, e.g. "SHARPSAN"
    string ProductId,         // 16 chars max; LIO uses the backstore name
    string Revision,          // 4 chars
    string Wwn);              // backstore wwn (a UUID); unit serial number and NAA come from it

/// <summary>
/// A SCSI logical unit (SAM-5 4.6) backed by one storage object: its mode pages, unit attentions and
/// RESERVE/RELEASE state. Commands reach it through <see cref="ScsiDispatcher"/>.
/// </summary>
public sealed partial class LogicalUnit
{
    public LogicalUnit(IBackstore backstore, LogicalUnitIdentity identity)
    {
        Backstore = backstore;
        Identity = identity;
    }

    public IBackstore Backstore { get; }
    public LogicalUnitIdentity Identity { get; }
}
