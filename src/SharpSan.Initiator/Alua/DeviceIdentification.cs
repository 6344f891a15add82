using System.Buffers.Binary;

namespace SharpSan.Initiator;

/// <summary>
/// What the Device Identification VPD page (SPC-4 7.8.6, page 83h) tells a multipath initiator: the
/// logical unit's name (the designator every path to it shares, as dm-multipath's WWID) and, for the
/// port the page came through, the relative target port identifier and target port group.
/// </summary>
public sealed record DeviceIdentification(string? LogicalUnitName, ushort? RelativeTargetPort, ushort? TargetPortGroup)
{
    /// <summary>Parses page 83h. The logical unit name is the best designator associated with the
    /// logical unit (ASSOCIATION 00b), preferring NAA (type 3), then EUI-64 (2), then SCSI name
    /// string (8), then T10 vendor id (1), written as "naa.HEX", "eui.HEX", the name, or "t10.TEXT".</summary>
    public static DeviceIdentification Parse(ReadOnlySpan<byte> page)
    {
        string? best = null;
        int bestRank = int.MaxValue;
        ushort? port = null, group = null;
        if (page.Length < 4) return new(null, null, null);
        int end = Math.Min(page.Length, 4 + BinaryPrimitives.ReadUInt16BigEndian(page[2..]));
        for (int offset = 4; offset + 4 <= end;)
        {
            byte codeSet = (byte)(page[offset] & 0x0F);
            byte association = (byte)((page[offset + 1] >> 4) & 0x3);
            byte type = (byte)(page[offset + 1] & 0x0F);
            int length = page[offset + 3];
            if (offset + 4 + length > end) break;
            var value = page.Slice(offset + 4, length);
            offset += 4 + length;
            if (association == 1 && type == 4 && length >= 4)
            {
                port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
            }
            else if (association == 1 && type == 5 && length >= 4)
            {
                group = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
            }
            else if (association == 0)
            {
                (int rank, string? name) = type switch
                {
                    3 => (0, "naa." + Convert.ToHexStringLower(value)),
                    2 => (1, "eui." + Convert.ToHexStringLower(value)),
                    8 when codeSet == 3 => (2, System.Text.Encoding.UTF8.GetString(value).TrimEnd('\0')),
                    1 when codeSet == 2 => (3, "t10." + System.Text.Encoding.ASCII.GetString(value).TrimEnd(' ', '\0')),
                    _ => (int.MaxValue, null),
                };
                if (name is not null && rank < bestRank)
                {
                    best = name;
                    bestRank = rank;
                }
            }
        }
        return new(best, port, group);
    }
}
