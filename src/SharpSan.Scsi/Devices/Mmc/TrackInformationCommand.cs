using System.Buffers.Binary;

namespace SharpSan.Scsi.Devices.Mmc;

/// <summary>
/// READ TRACK INFORMATION (MMC-6, READ TRACK INFORMATION command) of the one data track: track 1 of
/// session 1, data mode 1, recorded uninterrupted (track mode 4), starting at LBA 0 and spanning the
/// whole image; nothing is writable. ADDRESS/NUMBER TYPE 00b selects it by an LBA inside it, 01b by
/// track number 1, 10b by session number 1; anything else names no track.
/// </summary>
internal static class TrackInformationCommand
{
    private const int Length = 48;

    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        uint number = BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]);
        bool found = (cdb[1] & 0x03) switch
        {
            0 => number < task.Entry.Unit.Backstore.BlockCount,
            1 => number == 1,
            2 => number == 1,
            _ => false,
        };
        if (!found)
        {
            task.Fail(SenseReason.InvalidFieldInCdb, (cdb[1] & 0x03) == 3 ? 1 : 2, -1);
            return false;
        }

        return DataIn.Allocate(task, BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]));
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        ulong blocks = task.Entry.Unit.Backstore.BlockCount;
        Span<byte> d = stackalloc byte[Length];
        d.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(d, Length - 2); // DATA LENGTH
        d[2] = 1;     // track number (LSB)
        d[3] = 1;     // session number (LSB)
        d[5] = 0x04;  // DAMAGE=0, COPY=0, TRACK MODE 4h: data, recorded uninterrupted
        d[6] = 0x01;  // RT=0, BLANK=0, PACKET/INC=0, FP=0, DATA MODE 1h: mode 1
        d[7] = 0x00;  // LRA_V=0, NWA_V=0: nothing to write
        // TRACK START ADDRESS 0 (bytes 8-11); TRACK SIZE (bytes 24-27).
        BinaryPrimitives.WriteUInt32BigEndian(d[24..], blocks > uint.MaxValue ? uint.MaxValue : (uint)blocks);
        DataIn.Respond(task, d);
        return default;
    }
}
