namespace SharpSan.Scsi;

/// <summary>
/// PROTOCOL IDENTIFIER (SPC-4 7.6.1, table 362): which SCSI transport a target port belongs to. It
/// appears in VPD page 0x83 designators with PIV=1, so the engine takes it from the transport instead
/// of assuming one.
/// </summary>
public enum ProtocolIdentifier : byte
{
    FibreChannel = 0x0,
    ParallelScsi = 0x1,
    Ssa = 0x2,
    Ieee1394 = 0x3,
    Srp = 0x4,
    Iscsi = 0x5,
    Sas = 0x6,
    Adt = 0x7,
    Ata = 0x8,
    Uas = 0x9,
    Sop = 0xA,
    None = 0xF,
}
