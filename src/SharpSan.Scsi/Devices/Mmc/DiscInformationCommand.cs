using System.Buffers.Binary;

namespace SharpSan.Scsi.Devices.Mmc;

/// <summary>
/// READ DISC INFORMATION (MMC-6, READ DISC INFORMATION command), data type 000b (standard disc
/// information): a finalized, non-erasable disc with one complete session holding track 1, of disc
/// type 00h (CD-DA or CD-ROM; DVD-ROM reports the same), unrestricted use.
/// </summary>
internal static class DiscInformationCommand
{
    private const int Length = 34;

    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        if ((cdb[1] & 0x07) != 0)
        {
            // 001b (track resources) and 010b (POW resources) describe writable media only.
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 2);
            return false;
        }

        return DataIn.Allocate(task, BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]));
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        Span<byte> d = stackalloc byte[Length];
        d.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(d, Length - 2); // DISC INFORMATION LENGTH
        d[2] = 0x0E;  // ERASABLE=0, STATE OF LAST SESSION 11b (complete), DISC STATUS 10b (finalized)
        d[3] = 1;     // number of first track on disc
        d[4] = 1;     // number of sessions (LSB)
        d[5] = 1;     // first track number in last session (LSB)
        d[6] = 1;     // last track number in last session (LSB)
        d[7] = 0x20;  // URU: unrestricted use; no disc id, bar code or application code
        d[8] = 0x00;  // DISC TYPE: CD-DA or CD-ROM
        // A finalized disc has no next session: last session lead-in start and last possible lead-out
        // start are FFFFFFFFh.
        BinaryPrimitives.WriteUInt32BigEndian(d[16..], uint.MaxValue);
        BinaryPrimitives.WriteUInt32BigEndian(d[20..], uint.MaxValue);
        DataIn.Respond(task, d);
        return default;
    }
}
