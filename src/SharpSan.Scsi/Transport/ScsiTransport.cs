namespace SharpSan.Scsi;

/// <summary>
/// What the SCSI engine needs to know of the transport a nexus runs over (SAM-5 4.4): the protocol
/// identifier for VPD 0x83 designators (SPC-4 7.8.6) and the transport's version descriptor for the
/// standard INQUIRY data (SPC-4 6.6.2, table 150). The fabric supplies it; the engine never names a
/// transport itself.
/// </summary>
public sealed record ScsiTransport(ProtocolIdentifier ProtocolIdentifier, ushort VersionDescriptor, string Name);
