using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// The provisioning fields of VPD pages B0h (Block Limits, SBC-3 6.6.3) and B2h (Logical Block
/// Provisioning, SBC-3 6.6.4), from the unit's <see cref="LogicalBlockProvisioning"/>.
/// </summary>
internal static class ProvisioningVpd
{
    /// <summary>
    /// Fills WSNZ, the UNMAP limits and MAXIMUM WRITE SAME LENGTH of a Block Limits page whose body
    /// (page byte 4 on) is <paramref name="body"/>. The UNMAP counts stay 0 unless UNMAP is served
    /// (SBC-3 6.6.3: with LBPU=0 they shall be 0).
    /// </summary>
    public static void FillBlockLimits(LogicalBlockProvisioning provisioning, Span<byte> body)
    {
        // Byte 4 bit 0 WSNZ=0: WRITE SAME with NUMBER OF LOGICAL BLOCKS 0 writes to the last LBA.
        body[0] &= 0xFE;
        if (provisioning.Unmap)
        {
            BinaryPrimitives.WriteUInt32BigEndian(body[16..], provisioning.MaximumUnmapLbaCount);             // bytes 20-23
            BinaryPrimitives.WriteUInt32BigEndian(body[20..], provisioning.MaximumUnmapBlockDescriptorCount); // bytes 24-27
        }

        if (provisioning.IsThin)
        {
            BinaryPrimitives.WriteUInt32BigEndian(body[24..], provisioning.OptimalUnmapGranularity);          // bytes 28-31
            uint alignment = provisioning.UnmapGranularityAlignment & 0x7FFFFFFF;
            // Bytes 32-35: UGAVALID (bit 7 of byte 32) and UNMAP GRANULARITY ALIGNMENT.
            BinaryPrimitives.WriteUInt32BigEndian(body[28..], alignment == 0 ? 0 : alignment | 0x80000000);
        }

        BinaryPrimitives.WriteUInt64BigEndian(body[32..], provisioning.MaximumWriteSameLength);               // bytes 36-43
    }

    /// <summary>SBC-3 6.6.4 Logical Block Provisioning page (DP=0, page length 4): LBPU, LBPWS, LBPWS10,
    /// LBPRZ (ANC_SUP=0: no anchored state) and PROVISIONING TYPE 010b (thin) for a thin unit.</summary>
    public static int BuildLogicalBlockProvisioning(LogicalBlockProvisioning provisioning, Span<byte> body)
    {
        body[..4].Clear();
        if (provisioning.Unmap) body[1] |= 0x80;
        if (provisioning.WriteSameUnmap) body[1] |= 0x40 | 0x20;
        if (provisioning.ReadsZero) body[1] |= 0x04;
        if (provisioning.IsThin) body[2] = 0x02;
        return 4;
    }
}
