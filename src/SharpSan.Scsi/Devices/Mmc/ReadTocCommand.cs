using System.Buffers.Binary;

namespace SharpSan.Scsi.Devices.Mmc;

/// <summary>
/// READ TOC/PMA/ATIP (MMC-6, READ TOC/PMA/ATIP command) of an image seen as a finalized single-session
/// disc with one data track starting at LBA 0 (ADR 1, CONTROL 4: a data track recorded uninterrupted).
/// Format 0000b (formatted TOC, LBA or MSF addresses), 0001b (multi-session information) and, on a CD,
/// 0010b (full TOC: points A0h, A1h, A2h and track 1, always MSF). A pressed disc has no PMA, ATIP or
/// CD-Text, so formats 0011b-0101b are an invalid field, as on a real CD-ROM drive.
/// </summary>
internal static class ReadTocCommand
{
    private const byte AdrControlDataTrack = 0x14;
    private const byte LeadOut = 0xAA;

    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        int format = Format(cdb);
        byte track = cdb[6];
        bool cd = MmcProfile.Current(task.Entry.Unit) == MmcProfile.CdRom;
        if (format > 2 || (format == 2 && !cd))
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 2, 3);
            return false;
        }

        // A formatted TOC lists the tracks from TRACK/SESSION NUMBER on: 0 or 1 (track 1 and the
        // lead-out), AAh (the lead-out alone); a full TOC starts at session 0 or 1. Nothing else exists.
        if ((format == 0 && track is not (0 or 1 or LeadOut)) || (format == 2 && track > 1))
        {
            task.Fail(SenseReason.InvalidFieldInCdb, 6, -1);
            return false;
        }

        return DataIn.Allocate(task, BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]));
    }

    /// <summary>FORMAT (byte 2 bits 3-0); when it is 0, older hosts put it in the CONTROL byte's
    /// vendor-specific bits 7-6 (MMC-6 notes this legacy encoding).</summary>
    private static int Format(ReadOnlySpan<byte> cdb)
    {
        int format = cdb[2] & 0x0F;
        return format == 0 ? cdb[9] >> 6 : format;
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        bool msf = (cdb[1] & 0x02) != 0;
        ulong blocks = task.Entry.Unit.Backstore.BlockCount;
        Span<byte> data = stackalloc byte[64];
        data.Clear();
        int length = Format(cdb) switch
        {
            0 => FormattedToc(data, cdb[6], msf, blocks),
            1 => SessionInformation(data, msf),
            _ => FullToc(data, blocks),
        };
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)(length - 2)); // TOC DATA LENGTH
        DataIn.Respond(task, data[..length]);
        return default;
    }

    private static int FormattedToc(Span<byte> data, byte startTrack, bool msf, ulong blocks)
    {
        data[2] = 1; // first track number
        data[3] = 1; // last track number
        int offset = 4;
        if (startTrack != LeadOut)
        {
            offset += TrackDescriptor(data[offset..], 1, 0, msf);
        }

        offset += TrackDescriptor(data[offset..], LeadOut, blocks, msf);
        return offset;
    }

    private static int SessionInformation(Span<byte> data, bool msf)
    {
        data[2] = 1; // first complete session
        data[3] = 1; // last complete session
        return 4 + TrackDescriptor(data[4..], 1, 0, msf); // first track of the last session
    }

    private static int TrackDescriptor(Span<byte> d, byte track, ulong lba, bool msf)
    {
        d[1] = AdrControlDataTrack;
        d[2] = track;
        if (msf)
        {
            Msf.Write(lba, d[4..]);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(d[4..], lba > uint.MaxValue ? uint.MaxValue : (uint)lba);
        }

        return 8;
    }

    /// <summary>Full TOC (format 0010b): Q sub-channel descriptors of session 1, POINT A0h (first
    /// track, disc type 00h CD-DA/CD-ROM), A1h (last track), A2h (lead-out start) and 01h (track 1).</summary>
    private static int FullToc(Span<byte> data, ulong blocks)
    {
        data[2] = 1; // first complete session
        data[3] = 1; // last complete session
        int offset = 4;
        Span<byte> address = stackalloc byte[4];
        offset += FullTocDescriptor(data[offset..], 0xA0, 1, 0x00, 0);
        offset += FullTocDescriptor(data[offset..], 0xA1, 1, 0, 0);
        Msf.Write(blocks, address);
        offset += FullTocDescriptor(data[offset..], 0xA2, address[1], address[2], address[3]);
        Msf.Write(0, address);
        offset += FullTocDescriptor(data[offset..], 0x01, address[1], address[2], address[3]);
        return offset;
    }

    /// <summary>SESSION, ADR/CONTROL, TNO 0, POINT, ATIME (0), ZERO, PMIN, PSEC, PFRAME.</summary>
    private static int FullTocDescriptor(Span<byte> d, byte point, byte pmin, byte psec, byte pframe)
    {
        d[0] = 1;
        d[1] = AdrControlDataTrack;
        d[3] = point;
        d[8] = pmin;
        d[9] = psec;
        d[10] = pframe;
        return 11;
    }
}
