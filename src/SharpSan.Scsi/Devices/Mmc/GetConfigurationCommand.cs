using System.Buffers.Binary;

namespace SharpSan.Scsi.Devices.Mmc;

/// <summary>
/// GET CONFIGURATION (MMC-6, GET CONFIGURATION command): the feature header with the current profile and the features of a
/// read-only CD/DVD drive. Features (MMC-6 clause 5, features): Profile List (0000h: DVD-ROM, CD-ROM), Core (0001h,
/// SCSI family, DBE), Morphing (0002h, polled events only), Removable Medium (0003h: tray, load, eject,
/// lock), Random Readable (0010h), CD Read (001Eh), DVD Read (001Fh), Power Management (0100h) and
/// Timeout (0105h) — the mandatory features of the CD-ROM and DVD-ROM profiles but Real Time
/// Streaming, whose commands this drive does not implement.
/// </summary>
internal static class GetConfigurationCommand
{
    private const int MaxResponse = 128;

    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if ((cdb[1] & 0x03) == 0x03)
        {
            // RT 11b is reserved (MMC-6, GET CONFIGURATION: RT field).
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 1);
            return false;
        }

        return DataIn.Allocate(task, BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]));
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        int rt = cdb[1] & 0x03;
        ushort start = BinaryPrimitives.ReadUInt16BigEndian(cdb[2..]);
        ushort profile = MmcProfile.Current(task.Entry.Unit);

        Span<byte> data = stackalloc byte[MaxResponse];
        data.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(data[6..], profile);
        int offset = 8;
        foreach (ushort feature in Features)
        {
            // RT 00b: every feature from START; 01b: the current ones from START; 10b: START only.
            if (feature < start || (rt == 2 && feature != start))
            {
                continue;
            }

            bool current = IsCurrent(feature, profile);
            if (rt == 1 && !current)
            {
                continue;
            }

            offset += WriteFeature(feature, current, profile, data[offset..]);
        }

        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)(offset - 4)); // DATA LENGTH
        DataIn.Respond(task, data[..offset]);
        return default;
    }

    private static ReadOnlySpan<ushort> Features => [0x0000, 0x0001, 0x0002, 0x0003, 0x0010, 0x001E, 0x001F, 0x0100, 0x0105];

    private static bool IsCurrent(ushort feature, ushort profile) => feature switch
    {
        0x0010 => profile != MmcProfile.None,
        0x001E => profile == MmcProfile.CdRom,
        0x001F => profile == MmcProfile.DvdRom,
        _ => true,
    };

    /// <summary>A feature descriptor (MMC-6, feature descriptor format): code, VERSION/PERSISTENT/CURRENT, additional length, data.</summary>
    private static int WriteFeature(ushort feature, bool current, ushort profile, Span<byte> d)
    {
        BinaryPrimitives.WriteUInt16BigEndian(d, feature);
        byte currentBit = current ? (byte)0x01 : (byte)0x00;
        switch (feature)
        {
            case 0x0000: // Profile List: persistent, current; descending profile numbers.
                d[2] = 0x03;
                d[3] = 8;
                BinaryPrimitives.WriteUInt16BigEndian(d[4..], MmcProfile.DvdRom);
                d[6] = profile == MmcProfile.DvdRom ? (byte)0x01 : (byte)0x00;
                BinaryPrimitives.WriteUInt16BigEndian(d[8..], MmcProfile.CdRom);
                d[10] = profile == MmcProfile.CdRom ? (byte)0x01 : (byte)0x00;
                return 12;
            case 0x0001: // Core, version 2: physical interface 1 (SCSI family), DBE=1.
                d[2] = 0x0B;
                d[3] = 8;
                BinaryPrimitives.WriteUInt32BigEndian(d[4..], 1);
                d[8] = 0x01;
                return 12;
            case 0x0002: // Morphing, version 1: no asynchronous or operational change events.
                d[2] = 0x07;
                d[3] = 4;
                return 8;
            case 0x0003: // Removable Medium, version 2: tray (001b), LOAD, EJECT, LOCK.
                d[2] = 0x0B;
                d[3] = 4;
                d[4] = 0x20 | 0x10 | 0x08 | 0x01;
                return 8;
            case 0x0010: // Random Readable: 2048-byte blocks, blocking 16 on DVD, 1 on CD.
                d[2] = currentBit;
                d[3] = 8;
                BinaryPrimitives.WriteUInt32BigEndian(d[4..], MmcTray.SectorSize);
                BinaryPrimitives.WriteUInt16BigEndian(d[8..], profile == MmcProfile.DvdRom ? (ushort)16 : (ushort)1);
                return 12;
            case 0x001E: // CD Read, version 2: no CD-Text, C2 flags or digital audio.
                d[2] = (byte)(0x08 | currentBit);
                d[3] = 4;
                return 8;
            case 0x001F: // DVD Read, version 0.
                d[2] = currentBit;
                d[3] = 0;
                return 4;
            default: // Power Management and Timeout, version 0: persistent, current.
                d[2] = 0x03;
                d[3] = 0;
                return 4;
        }
    }
}
