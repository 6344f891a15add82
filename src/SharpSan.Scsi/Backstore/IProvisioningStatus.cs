namespace SharpSan.Scsi;

/// <summary>
/// Implemented by a thin provisioned backstore that can tell how many of its logical blocks are mapped
/// (hold storage): the LOGICAL BLOCK PROVISIONING log page (SBC-3, log page 0Ch) reports it as the
/// used and available LBA mapping resources. A backstore without it is fully provisioned: every block
/// is mapped.
/// </summary>
public interface IProvisioningStatus
{
    /// <summary>The number of mapped logical blocks now; false when it cannot be known cheaply.</summary>
    bool TryGetMappedBlockCount(out ulong mappedBlocks);
}
