using System.Buffers.Binary;

namespace SharpSan.Scsi.Devices.Mmc;

/// <summary>
/// READ DISC STRUCTURE (READ DVD STRUCTURE, MMC-6) for DVD media (MEDIA TYPE 0h): format 00h physical
/// format information of a single-layer read-only DVD-ROM (DVD data area from physical sector
/// 030000h), 01h copyright information (no protection), 04h disc manufacturing information (zeros),
/// FFh the list of these. A CD has no DVD structures: CANNOT READ MEDIUM - INCOMPATIBLE FORMAT.
/// </summary>
internal static class ReadDvdStructureCommand
{
    private const int StructureLength = 2048;
    private const uint DataAreaStart = 0x030000;

    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        byte format = cdb[7];
        if ((cdb[1] & 0x0F) != 0)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 3); // Blu-ray (1h) and reserved media types
            return false;
        }

        if (format != 0xFF)
        {
            LogicalUnit unit = task.Entry.Unit;
            if (unit.NotReadyReason != SenseReason.None)
            {
                task.Fail(unit.NotReadyReason);
                return false;
            }

            if (MmcProfile.Current(unit) != MmcProfile.DvdRom)
            {
                task.Fail(SenseReason.CannotReadMediumIncompatibleFormat);
                return false;
            }

            if (format is not (0x00 or 0x01 or 0x04) || (format == 0x00 && cdb[6] != 0))
            {
                task.Fail(SenseReason.InvalidFieldInCdb, format == 0x00 ? 6 : 7, -1);
                return false;
            }
        }

        return DataIn.Allocate(task, BinaryPrimitives.ReadUInt16BigEndian(cdb[8..]));
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        byte format = task.CdbBuffer[7];
        Span<byte> d = stackalloc byte[4 + StructureLength];
        d.Clear();
        int length;
        switch (format)
        {
            case 0x00:
                length = 4 + StructureLength;
                d[4] = 0x01;  // DISK CATEGORY 0h (DVD-ROM), PART VERSION 1
                d[5] = 0x0F;  // DISC SIZE 120 mm, MAXIMUM RATE not specified
                d[6] = 0x01;  // one layer, parallel track path, LAYER TYPE: embossed (read-only)
                BinaryPrimitives.WriteUInt32BigEndian(d[8..], DataAreaStart);
                ulong blocks = task.Entry.Unit.Backstore.BlockCount;
                BinaryPrimitives.WriteUInt32BigEndian(d[12..], (uint)(DataAreaStart + Math.Min(blocks, 0xFFFFFF) - 1));
                break;
            case 0x01:
                length = 8;   // no copy protection system, all regions
                break;
            case 0x04:
                length = 4 + StructureLength;
                break;
            default:
                length = 4 + (3 * 4);
                WriteCapability(d[4..], 0x00, 4 + StructureLength);
                WriteCapability(d[8..], 0x01, 8);
                WriteCapability(d[12..], 0x04, 4 + StructureLength);
                break;
        }

        BinaryPrimitives.WriteUInt16BigEndian(d, (ushort)(length - 2)); // DISC STRUCTURE DATA LENGTH
        DataIn.Respond(task, d[..length]);
        return default;
    }

    /// <summary>A structure list entry: FORMAT CODE, RDS (readable), STRUCTURE LENGTH.</summary>
    private static void WriteCapability(Span<byte> entry, byte format, int length)
    {
        entry[0] = format;
        entry[1] = 0x40;
        BinaryPrimitives.WriteUInt16BigEndian(entry[2..], (ushort)length);
    }
}
