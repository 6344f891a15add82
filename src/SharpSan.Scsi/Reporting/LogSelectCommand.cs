using System.Buffers.Binary;

namespace SharpSan.Scsi.Reporting;

/// <summary>
/// LOG SELECT (SPC-4 6.5). None of <see cref="LogPages"/>' parameters can be changed and none is saved:
/// a reset (PCR=1, or a PARAMETER LIST LENGTH of 0) is accepted and changes nothing, since every value
/// is live or fixed; a parameter list with any parameter is refused with INVALID FIELD IN PARAMETER
/// LIST; SP=1 is a bit outside the CDB usage data (INVALID FIELD IN CDB).
/// </summary>
internal static class LogSelectCommand
{
    public static bool Parse(ScsiTask task)
    {
        ReadOnlySpan<byte> cdb = task.CdbBuffer;
        bool pcr = (cdb[1] & 0x02) != 0;
        int length = BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);
        if (pcr && length != 0)
        {
            // SPC-4 6.5: PCR=1 with a parameter list.
            task.Fail(SenseReason.InvalidFieldInCdb, 1, 1);
            return false;
        }

        byte page = (byte)(cdb[2] & 0x3F);
        if (length == 0 && (page != 0 || cdb[3] != 0) && !LogPages.IsSupported(page, cdb[3]))
        {
            task.Fail(SenseReason.InvalidFieldInCdb, LogPages.IsSupported(page, 0) ? 3 : 2, LogPages.IsSupported(page, 0) ? 7 : 5);
            return false;
        }

        if (length != 0 && (page != 0 || cdb[3] != 0))
        {
            // SPC-4 6.5: with a parameter list, PAGE CODE and SUBPAGE CODE in the CDB are reserved (the
            // list's page headers name the pages).
            task.Fail(SenseReason.InvalidFieldInCdb, page != 0 ? 2 : 3, page != 0 ? 5 : 7);
            return false;
        }

        return DataOut.Expect(task, length);
    }

    public static ValueTask Execute(ScsiTask task, CancellationToken cancellationToken)
    {
        if (task.TransferLength == 0 || !DataOut.TryReceive(task, out ReadOnlySpan<byte> list))
        {
            return default;
        }

        int offset = 0;
        while (offset < list.Length)
        {
            if (list.Length - offset < 4)
            {
                task.Fail(SenseReason.ParameterListLengthError);
                return default;
            }

            byte page = (byte)(list[offset] & 0x3F);
            byte subpage = (list[offset] & 0x40) != 0 ? list[offset + 1] : (byte)0;
            if (!LogPages.IsSupported(page, subpage) || !LogPages.HasParameters(page))
            {
                task.Fail(SenseReason.InvalidFieldInParameterList, offset, 5, inCdb: false);
                return default;
            }

            int pageLength = BinaryPrimitives.ReadUInt16BigEndian(list[(offset + 2)..]);
            if (list.Length - offset - 4 < pageLength)
            {
                task.Fail(SenseReason.ParameterListLengthError);
                return default;
            }

            if (pageLength != 0)
            {
                // The first parameter: no log parameter of this device server can be changed.
                task.Fail(SenseReason.InvalidFieldInParameterList, offset + 4, 7, inCdb: false);
                return default;
            }

            offset += 4 + pageLength;
        }

        return default;
    }
}
