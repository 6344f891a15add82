using System.Buffers.Binary;

namespace SharpSan.Scsi;

/// <summary>
/// READ DEFECT DATA(10) and (12) (SBC-3 5.17, 5.18): an emulated logical unit has no grown or primary
/// defects, so both lists are valid and empty, in the format the initiator asked for.
/// </summary>
internal static class ReadDefectDataCommand
{
    private const int ReservedFormat = 0x07;

    /// <summary>(10): REQ_PLIST, REQ_GLIST and DEFECT LIST FORMAT in byte 2, ALLOCATION LENGTH bytes 7-8.</summary>
    public static bool Parse10(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        return Parse(task, cdb[2], 2, BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]));
    }

    /// <summary>(12): REQ_PLIST, REQ_GLIST and DEFECT LIST FORMAT in byte 1, ADDRESS DESCRIPTOR INDEX
    /// bytes 2-5 (any index is past the end of an empty list), ALLOCATION LENGTH bytes 6-9.</summary>
    public static bool Parse12(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        uint allocation = BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]);
        return Parse(task, cdb[1], 1, (int)Math.Min(allocation, (uint)Header12));
    }

    private const int Header10 = 4;
    private const int Header12 = 8;

    private static bool Parse(ScsiTask task, byte flags, int flagsByte, int allocation)
    {
        if ((flags & 0x07) == ReservedFormat)
        {
            // SBC-3 table 32: defect list format 111b is reserved.
            task.Fail(SenseReason.InvalidFieldInCdb, flagsByte, 2);
            return false;
        }

        return DataIn.Allocate(task, allocation);
    }

    /// <summary>The header alone: PLISTV/GLISTV set for the lists asked for (they are valid, and empty),
    /// the format echoed, DEFECT LIST LENGTH 0; the (12) header has a GENERATION CODE of 0 (not
    /// supported, SBC-3 5.18.2).</summary>
    public static ValueTask Execute10(ScsiTask task, CancellationToken cancellationToken)
        => RespondHeader(task, Header10, task.CdbBuffer[2]);

    public static ValueTask Execute12(ScsiTask task, CancellationToken cancellationToken)
        => RespondHeader(task, Header12, task.CdbBuffer[1]);

    /// <summary>A header of <paramref name="length"/> bytes, zero but for byte 1: REQ_PLIST, REQ_GLIST and
    /// DEFECT LIST FORMAT (bits 4..0) of the CDB byte that holds them.</summary>
    private static ValueTask RespondHeader(ScsiTask task, int length, byte requested)
    {
        Span<byte> data = stackalloc byte[length];
        data.Clear();
        data[1] = (byte)(requested & 0x1F);
        DataIn.Respond(task, data);
        return default;
    }
}
