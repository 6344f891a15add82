using System.Buffers.Binary;
using SharpSan.Scsi;

namespace SharpSan.Initiator;

/// <summary>
/// One target port group descriptor of REPORT TARGET PORT GROUPS parameter data (SPC-4 6.36, table
/// "Target port group descriptor format"): the group's asymmetric access state, its preference bit and
/// the relative target port identifiers of its ports.
/// </summary>
public sealed record TargetPortGroupDescriptor(ushort Id, AsymmetricAccessState State, bool Preferred, IReadOnlyList<ushort> RelativeTargetPorts)
{
    /// <summary>Parses RTPG parameter data in the length-only header format (PARAMETER DATA FORMAT 000b)
    /// or the extended header format (001b, SPC-4 table "extended header"): the header says which.
    /// A truncated descriptor ends the list (the allocation length was too small for the rest).</summary>
    public static IReadOnlyList<TargetPortGroupDescriptor> ParseList(ReadOnlySpan<byte> data)
    {
        var result = new List<TargetPortGroupDescriptor>();
        if (data.Length < 4) return result;
        int returned = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(data), (uint)int.MaxValue);
        int offset = 4;
        // Extended header: byte 4 bits 4-6 = FORMAT TYPE 001b, byte 5 = IMPLICIT TRANSITION TIME.
        if (data.Length >= 8 && ((data[4] >> 4) & 0x7) == 0x1)
        {
            offset = 8;
        }
        int end = (int)Math.Min((long)data.Length, 4L + returned);
        while (offset + 8 <= end)
        {
            var d = data[offset..end];
            int ports = d[7];
            if (8 + ports * 4 > d.Length) break;
            var ids = new ushort[ports];
            for (int i = 0; i < ports; i++) ids[i] = BinaryPrimitives.ReadUInt16BigEndian(d[(8 + i * 4 + 2)..]);
            result.Add(new TargetPortGroupDescriptor(
                BinaryPrimitives.ReadUInt16BigEndian(d[2..]), (AsymmetricAccessState)(d[0] & 0x0F), (d[0] & 0x80) != 0, ids));
            offset += 8 + ports * 4;
        }
        return result;
    }
}
